package flowlog

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// S3Object is a flow log file as S3 delivery names it (docs/flowlogs.md,
// "Delivery"): AWSLogs/{account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/[{HH}/]
// or its Hive-compatible form, and
// {account}_vpcflowlogs_{region}_{flow-log-id}_{YYYYMMDDTHHmmZ}_{hash}.log.gz
// (or .log.parquet).
type S3Object struct {
	// Key is the object's path relative to the folder walked, with
	// slashes.
	Key                        string
	AccountID, Region, FlowLog string
	// Time is the start of the 5-minute slot the file holds the records
	// of (by their end time).
	Time    time.Time
	Hash    string
	Parquet bool
	// Hive is set for Hive-compatible prefixes (aws-account-id=…).
	Hive bool
}

var s3Name = regexp.MustCompile(`^([0-9]{12})_vpcflowlogs_([a-z0-9-]+)_(fl-[0-9a-zA-Z]+)_([0-9]{8}T[0-9]{4}Z)_([0-9a-fA-F]+)\.log\.(gz|parquet)$`)

// ParseS3Key reads a flow log object's key: its file name, and the folders
// before it when they follow S3 delivery's layout, which must then agree
// with the name (account, region, date). A key whose name is not a flow log
// file's is an error that says why.
func ParseS3Key(key string) (S3Object, error) {
	o := S3Object{Key: key}
	dir, name := path.Split(key)
	m := s3Name.FindStringSubmatch(name)
	if m == nil {
		return o, fmt.Errorf("%s: not a flow log file name ({account}_vpcflowlogs_{region}_{flow-log-id}_{YYYYMMDDTHHmmZ}_{hash}.log.gz or .log.parquet)", key)
	}
	t, err := time.Parse("20060102T1504Z", m[4])
	if err != nil {
		return o, fmt.Errorf("%s: %q is not a time: %v", key, m[4], err)
	}
	o.AccountID, o.Region, o.FlowLog, o.Time, o.Hash, o.Parquet = m[1], m[2], m[3], t, m[5], m[6] == "parquet"
	parts := strings.Split(strings.Trim(dir, "/"), "/")
	i := slices.Index(parts, "AWSLogs")
	if i < 0 {
		return o, nil // a file copied out of its folders: the name says it all
	}
	parts = parts[i+1:]
	want := func(got, want, what string) error {
		if got != want {
			return fmt.Errorf("%s: folder %q does not match the file's %s %q", key, got, what, want)
		}
		return nil
	}
	y, mo, d, h := t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15")
	var checks []error
	switch {
	case len(parts) >= 6 && strings.HasPrefix(parts[0], "aws-account-id="):
		o.Hive = true
		checks = []error{
			want(parts[0], "aws-account-id="+o.AccountID, "account"),
			want(parts[1], "aws-service=vpcflowlogs", "service"),
			want(parts[2], "aws-region="+o.Region, "region"),
			want(parts[3], "year="+y, "year"), want(parts[4], "month="+mo, "month"), want(parts[5], "day="+d, "day"),
		}
		if len(parts) == 7 {
			checks = append(checks, want(parts[6], "hour="+h, "hour"))
		} else if len(parts) > 7 {
			checks = append(checks, fmt.Errorf("%s: unexpected folders after day=%s", key, d))
		}
	case len(parts) >= 6:
		checks = []error{
			want(parts[0], o.AccountID, "account"), want(parts[1], "vpcflowlogs", "service"),
			want(parts[2], o.Region, "region"), want(parts[3], y, "year"), want(parts[4], mo, "month"), want(parts[5], d, "day"),
		}
		if len(parts) == 7 {
			checks = append(checks, want(parts[6], h, "hour"))
		} else if len(parts) > 7 {
			checks = append(checks, fmt.Errorf("%s: unexpected folders after the day", key))
		}
	default:
		checks = []error{fmt.Errorf("%s: the folders after AWSLogs are not S3 delivery's ({account}/vpcflowlogs/{region}/{yyyy}/{MM}/{dd}/)", key)}
	}
	for _, err := range checks {
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

// WalkS3 lists the flow log files under root in fsys, as S3 delivery lays
// them out, sorted by slot, then key. Files whose names are not flow log
// files' are returned in others (a folder may hold a CloudWatch export or
// a plain log beside them); a flow log file whose folders contradict its
// name is an error.
func WalkS3(fsys fs.FS, root string) (objects []S3Object, others []string, err error) {
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil // temporary files of a delivery in progress
		}
		if !s3Name.MatchString(d.Name()) {
			others = append(others, p)
			return nil
		}
		o, err := ParseS3Key(p)
		if err != nil {
			return err
		}
		objects = append(objects, o)
		return nil
	})
	slices.SortFunc(objects, func(a, b S3Object) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	slices.Sort(others)
	return objects, others, err
}
