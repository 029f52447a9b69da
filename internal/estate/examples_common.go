package estate

import "strconv"

func itoa(i int) string { return strconv.Itoa(i) }

// s3PrefixList is the AWS-managed prefix list of S3 in us-east-1.
const s3PrefixList = "pl-63a5400a"

// s3CIDRs are the entries of s3PrefixList as the provider read them (AWS
// changes them from time to time; these are a snapshot).
func s3CIDRs() []string {
	return []string{"16.15.176.0/20", "16.15.192.0/18", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21",
		"3.5.0.0/19", "44.192.134.240/28", "44.192.140.64/28", "52.216.0.0/15", "54.231.0.0/16"}
}

// fullAccessPolicy is the endpoint policy AWS attaches when none is given.
const fullAccessPolicy = `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}`
