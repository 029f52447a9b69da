package packet

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/pcapgo"
)

// CaptureFormat is a capture file format.
type CaptureFormat uint8

// Capture formats.
const (
	PCAP CaptureFormat = iota + 1
	PCAPNG
)

func (f CaptureFormat) String() string {
	switch f {
	case PCAP:
		return "pcap"
	case PCAPNG:
		return "pcapng"
	}
	return "invalid"
}

// MaxSnapLen bounds the bytes of one captured packet vpcsim reads and
// writes: tcpdump's default snap length.
const MaxSnapLen = 262144

// Reader reads the packets of a pcap or pcapng capture, plain or gzipped,
// with pcapgo. The format is recognised from the file's first bytes.
type Reader struct {
	format CaptureFormat
	pcap   *pcapgo.Reader
	ng     *pcapgo.NgReader
	n      int
}

const (
	magicMicros    = 0xa1b2c3d4
	magicNanos     = 0xa1b23c4d
	ngSectionBlock = 0x0a0d0d0a
	ngByteOrder    = 0x1a2b3c4d
)

// NewReader reads a capture's file header from r.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", noEOF(err))
	}
	if head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("capture: %w", err)
		}
		br = bufio.NewReader(zr)
		if head, err = br.Peek(4); err != nil {
			return nil, fmt.Errorf("capture: %w", noEOF(err))
		}
	}
	switch {
	case binary.LittleEndian.Uint32(head) == ngSectionBlock:
		var ng *pcapgo.NgReader
		err := recovered(func() (err error) {
			ng, err = pcapgo.NewNgReader(&ngGuard{r: br}, pcapgo.DefaultNgReaderOptions)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("pcapng: %w", noEOF(err))
		}
		return &Reader{format: PCAPNG, ng: ng}, nil
	case isPcapMagic(binary.LittleEndian.Uint32(head)) || isPcapMagic(binary.BigEndian.Uint32(head)):
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("pcap: %w", noEOF(err))
		}
		// pcapgo trusts the file's snap length when it sizes its buffer.
		if pr.Snaplen() > MaxSnapLen || pr.Snaplen() == 0 {
			pr.SetSnaplen(MaxSnapLen)
		}
		return &Reader{format: PCAP, pcap: pr}, nil
	}
	return nil, fmt.Errorf("capture: not a pcap or pcapng file (starts with % x)", head)
}

func isPcapMagic(m uint32) bool { return m == magicMicros || m == magicNanos }

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Format is the capture's format.
func (r *Reader) Format() CaptureFormat { return r.format }

// LinkType is the link type of the capture's packets (for pcapng, of its
// first interface: packets of interfaces with another link type are skipped,
// as libpcap does).
func (r *Reader) LinkType() LinkType {
	if r.ng != nil {
		return r.ng.LinkType()
	}
	return r.pcap.LinkType()
}

// Next returns the next packet's bytes and capture information; the bytes
// are valid until the next call. It returns io.EOF after the last packet and
// an error naming the packet's number for a damaged one.
func (r *Reader) Next() ([]byte, gopacket.CaptureInfo, error) {
	var (
		data []byte
		ci   gopacket.CaptureInfo
		err  error
	)
	if r.ng != nil {
		// The copying read: its buffer is sized by the packet, which
		// ngGuard bounds, where the zero-copy one trusts the interface's
		// snap length.
		err = recovered(func() (err error) {
			data, ci, err = r.ng.ReadPacketData()
			return err
		})
	} else {
		data, ci, err = r.pcap.ZeroCopyReadPacketData()
	}
	if err == io.EOF {
		return nil, ci, io.EOF
	}
	r.n++
	if err != nil {
		return nil, ci, fmt.Errorf("%s: packet %d: %w", r.format, r.n, noEOF(err))
	}
	return data, ci, nil
}

// recovered runs f, turning a panic of pcapgo on a damaged file (it divides
// by a timestamp resolution read from the file, for one) into an error.
func recovered(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("damaged file (%v)", r)
		}
	}()
	return f()
}

// ngGuard checks the framing of pcapng blocks as they stream through, so a
// damaged file fails with an error instead of making pcapgo allocate what a
// block's length field claims.
type ngGuard struct {
	r         io.Reader
	head      [28]byte
	pending   []byte // head bytes not yet handed out
	left      uint32 // bytes of the current block still to pass through
	bigEndian bool
}

// maxBlock bounds one pcapng block: a packet of MaxSnapLen bytes and its
// options.
const maxBlock = 2*MaxSnapLen + 4096

func (g *ngGuard) Read(p []byte) (int, error) {
	if len(g.pending) == 0 && g.left == 0 {
		if err := g.nextBlock(); err != nil {
			return 0, err
		}
	}
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	if uint32(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	g.left -= uint32(n)
	if err == io.EOF && g.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (g *ngGuard) nextBlock() error {
	if _, err := io.ReadFull(g.r, g.head[:8]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return errors.New("pcapng: truncated block header")
		}
		return err
	}
	typ := binary.LittleEndian.Uint32(g.head[:4])
	if typ == ngSectionBlock {
		if _, err := io.ReadFull(g.r, g.head[8:12]); err != nil {
			return noEOF(err)
		}
		switch {
		case binary.BigEndian.Uint32(g.head[8:12]) == ngByteOrder:
			g.bigEndian = true
		case binary.LittleEndian.Uint32(g.head[8:12]) == ngByteOrder:
			g.bigEndian = false
		default:
			return errors.New("pcapng: bad byte-order magic in a section header")
		}
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if g.bigEndian {
		order = binary.BigEndian
	}
	typ = order.Uint32(g.head[:4])
	length := order.Uint32(g.head[4:8])
	if length < 12 || length%4 != 0 || length > maxBlock {
		return fmt.Errorf("pcapng: block of type %#x has a bad length %d", typ, length)
	}
	got := uint32(8)
	if typ == ngSectionBlock {
		got = 12
	}
	// Enhanced (6) and obsolete (2) packet blocks: the captured length must
	// fit in the block.
	if (typ == 6 || typ == 2) && length >= 32 {
		if _, err := io.ReadFull(g.r, g.head[8:28]); err != nil {
			return noEOF(err)
		}
		got = 28
		if capLen := order.Uint32(g.head[20:24]); capLen > length-32 {
			return fmt.Errorf("pcapng: packet of %d bytes in a block of %d", capLen, length)
		}
	}
	if got > length {
		return fmt.Errorf("pcapng: block of type %#x has a bad length %d", typ, length)
	}
	g.pending = g.head[:got]
	g.left = length - got
	return nil
}

// Writer writes a pcap or pcapng capture with pcapgo.
type Writer struct {
	pcap *pcapgo.Writer
	ng   *pcapgo.NgWriter
	link LinkType
}

// NewWriter writes a capture's file header to w. vpcsim writes bare IP
// packets (LinkRaw), which tcpdump and Wireshark read.
func NewWriter(w io.Writer, format CaptureFormat, link LinkType) (*Writer, error) {
	switch format {
	case PCAP:
		pw := pcapgo.NewWriter(w)
		if err := pw.WriteFileHeader(MaxSnapLen, link); err != nil {
			return nil, err
		}
		return &Writer{pcap: pw, link: link}, nil
	case PCAPNG:
		intf := pcapgo.DefaultNgInterface
		intf.LinkType = link
		intf.SnapLength = MaxSnapLen
		intf.Name = "vpcsim"
		ng, err := pcapgo.NewNgWriterInterface(w, intf, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "vpcsim"}})
		if err != nil {
			return nil, err
		}
		return &Writer{ng: ng, link: link}, nil
	}
	return nil, fmt.Errorf("capture: unknown format %d", format)
}

// Write appends one packet captured at t.
func (w *Writer) Write(t time.Time, data []byte) error {
	if len(data) > MaxSnapLen {
		return fmt.Errorf("capture: packet of %d bytes exceeds the snap length %d", len(data), MaxSnapLen)
	}
	ci := gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}
	if w.ng != nil {
		return w.ng.WritePacket(ci, data)
	}
	return w.pcap.WritePacket(ci, data)
}

// Flush writes what pcapng buffers; pcap writes through.
func (w *Writer) Flush() error {
	if w.ng != nil {
		return w.ng.Flush()
	}
	return nil
}
