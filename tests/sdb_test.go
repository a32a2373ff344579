package tests

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// TestSDB calls SimpleDB, whose model asks for Signature Version 2, on
// moto through a recording proxy: each request carries SigV2's
// parameters and no SigV4 header, and the flattened attribute lists go out
// and come back under botocore's names (Attribute.1.Name, <Attribute>).
// moto checks no signature; TestSignV2MatchesBotocore compares the
// signature with botocore's. moto's ListDomains ignores
// MaxNumberOfDomains, so the paginator sees one page.
func TestSDB(t *testing.T) {
	proxy, sent := recordingProxy(t, testenv.URL(t, "moto"))
	s, err := sdk.NewSession(context.Background(), sdk.WithRegion(testenv.Region),
		sdk.WithCredentials(testenv.AccessKey, testenv.SecretKey, ""), sdk.WithEndpointURL(proxy))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Client("sdb")
	if err != nil {
		t.Fatal(err)
	}
	domains := []string{testenv.Name("dom"), testenv.Name("dom")}
	for _, d := range domains {
		svcCall(t, c, "CreateDomain", map[string]any{"DomainName": d})
	}
	svcCall(t, c, "PutAttributes", map[string]any{"DomainName": domains[0], "ItemName": "item 1", "Attributes": []any{
		map[string]any{"Name": "color", "Value": "red"},
		map[string]any{"Name": "note", "Value": "a b+c/é & 50%", "Replace": true},
	}})
	got := svcCall(t, c, "GetAttributes", map[string]any{"DomainName": domains[0], "ItemName": "item 1", "ConsistentRead": true})
	attrs := map[string]string{}
	for _, a := range got["Attributes"].([]any) {
		attrs[svcDig[string](t, a, "Name")] = svcDig[string](t, a, "Value")
	}
	if len(attrs) != 2 || attrs["color"] != "red" || attrs["note"] != "a b+c/é & 50%" {
		t.Errorf("attributes %v", attrs)
	}
	var listed []string
	for page, err := range c.Paginate(t.Context(), "ListDomains", nil, sdk.PaginationConfig{PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page["DomainNames"].([]any) {
			listed = append(listed, d.(string))
		}
	}
	for _, d := range domains {
		if !slices.Contains(listed, d) {
			t.Errorf("domain %s not in %v", d, listed)
		}
	}

	if _, err := c.Presign(t.Context(), "GetAttributes", map[string]any{"DomainName": domains[0], "ItemName": "i"}, time.Minute); err == nil ||
		!strings.Contains(err.Error(), "Signature Version 2, which has no presigned URLs") {
		t.Errorf("presigning a SigV2 operation: %v", err)
	}
	reqs := sent()
	if len(reqs) != 5 {
		t.Fatalf("%d requests sent, want 5", len(reqs))
	}
	for _, r := range reqs {
		form, err := url.ParseQuery(string(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if r.header.Get("Authorization") != "" || form.Get("AWSAccessKeyId") != testenv.AccessKey || form.Get("SignatureVersion") != "2" ||
			form.Get("SignatureMethod") != "HmacSHA256" || form.Get("Timestamp") == "" || len(form.Get("Signature")) != 44 {
			t.Errorf("%s: not signed with SigV2: Authorization %q, form %v", form.Get("Action"), r.header.Get("Authorization"), form)
		}
		if form.Get("Action") == "PutAttributes" && form.Get("Attribute.2.Value") != "a b+c/é & 50%" {
			t.Errorf("PutAttributes form %v, want Attribute.2.Value", form)
		}
	}
}

// TestSDBLua makes the same calls from Lua.
func TestSDBLua(t *testing.T) {
	l := newLua(t, "moto", bindings.Options{})
	l.expect(t, `
		local sdb = aws.client("sdb")
		local name = ...
		sdb:create_domain{DomainName = name}
		sdb:put_attributes{DomainName = name, ItemName = "i", Attributes = {{Name = "k", Value = "v"}}}
		print(aws.json.encode(sdb:get_attributes{DomainName = name, ItemName = "i"}.Attributes))
		local found = false
		for d in sdb:get_paginator("list_domains"):paginate{}:search("DomainNames") do found = found or d == name end
		print(found)`,
		"[{\"Name\":\"k\",\"Value\":\"v\"}]\ntrue\n", testenv.Name("lua"))
}
