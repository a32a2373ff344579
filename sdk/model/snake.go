package model

import "strings"

// snakeExceptions are the names botocore's xform_name maps by a fixed
// table rather than by its rules (its _xform_cache seed), with '_' as the
// separator.
var snakeExceptions = map[string]string{
	"CreateCachediSCSIVolume":                     "create_cached_iscsi_volume",
	"DescribeCachediSCSIVolumes":                  "describe_cached_iscsi_volumes",
	"DescribeStorediSCSIVolumes":                  "describe_stored_iscsi_volumes",
	"CreateStorediSCSIVolume":                     "create_stored_iscsi_volume",
	"ListHITsForQualificationType":                "list_hits_for_qualification_type",
	"ExecutePartiQLStatement":                     "execute_partiql_statement",
	"ExecutePartiQLTransaction":                   "execute_partiql_transaction",
	"ExecutePartiQLBatch":                         "execute_partiql_batch",
	"AssociateWhatsAppBusinessAccount":            "associate_whatsapp_business_account",
	"CreateWhatsAppMessageTemplate":               "create_whatsapp_message_template",
	"CreateWhatsAppMessageTemplateFromLibrary":    "create_whatsapp_message_template_from_library",
	"CreateWhatsAppMessageTemplateMedia":          "create_whatsapp_message_template_media",
	"DeleteWhatsAppMessageMedia":                  "delete_whatsapp_message_media",
	"DeleteWhatsAppMessageTemplate":               "delete_whatsapp_message_template",
	"DisassociateWhatsAppBusinessAccount":         "disassociate_whatsapp_business_account",
	"GetLinkedWhatsAppBusinessAccount":            "get_linked_whatsapp_business_account",
	"GetLinkedWhatsAppBusinessAccountPhoneNumber": "get_linked_whatsapp_business_account_phone_number",
	"GetOTelEnrichment":                           "get_otel_enrichment",
	"GetWhatsAppMessageMedia":                     "get_whatsapp_message_media",
	"GetWhatsAppMessageTemplate":                  "get_whatsapp_message_template",
	"ListLinkedWhatsAppBusinessAccounts":          "list_linked_whatsapp_business_accounts",
	"ListWhatsAppMessageTemplates":                "list_whatsapp_message_templates",
	"ListWhatsAppTemplateLibrary":                 "list_whatsapp_template_library",
	"PostWhatsAppMessageMedia":                    "post_whatsapp_message_media",
	"PutWhatsAppBusinessAccountEventDestinations": "put_whatsapp_business_account_event_destinations",
	"SendWhatsAppMessage":                         "send_whatsapp_message",
	"StartOTelEnrichment":                         "start_otel_enrichment",
	"StopOTelEnrichment":                          "stop_otel_enrichment",
	"UpdateWhatsAppMessageTemplate":               "update_whatsapp_message_template",
}

func isUpper(r rune) bool { return 'A' <= r && r <= 'Z' }
func isLower(r rune) bool { return 'a' <= r && r <= 'z' }
func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// SnakeName is boto3's Python name for an API name, as botocore's
// xform_name computes it: ListObjectsV2 → list_objects_v2,
// DescribeDBInstances → describe_db_instances, ListWebACLs →
// list_web_acls. A name that already holds an underscore is returned as
// it is, as botocore does.
func SnakeName(api string) string {
	if strings.Contains(api, "_") {
		return api
	}
	if s, ok := snakeExceptions[api]; ok {
		return s
	}
	if len(api) <= 64 && isASCII(api) {
		// API names are ASCII: the work fits on the stack, and a client
		// names all its operations when it is made (ec2 has 760).
		var in [64]byte
		var a, b [192]byte
		out := snake(append(in[:0], api...), a[:0], b[:0])
		for i, c := range out {
			if isUpper(rune(c)) {
				out[i] = c + 'a' - 'A'
			}
		}
		return string(out)
	}
	rs := []rune(api)
	return strings.ToLower(string(snake(rs, make([]rune, 0, len(rs)+8), make([]rune, 0, len(rs)+8))))
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// snake splits rs into words with underscores, using out and out2 for
// its passes; the letters keep their case.
func snake[C byte | rune](rs, out, out2 []C) []C {
	// A pluralized acronym at the end (ARNs, ACLs, CNAMEs) becomes one
	// lower-case word: the run of capitals before the final 's', if it is
	// at least two long, is split off whole.
	if n := len(rs); n >= 3 && rs[n-1] == 's' {
		i := n - 1
		for i > 0 && isUpper(rune(rs[i-1])) {
			i--
		}
		if n-1-i >= 2 {
			for j := i; j < n-1; j++ {
				rs[j] += 'a' - 'A'
			}
			rs = append(append(append(out2[:0], rs[:i]...), '_'), rs[i:n]...)
		}
	}
	// Then an underscore before every capitalized word (a capital and a
	// run of lower-case letters) that follows some character, the matches
	// taken left to right without overlapping, as re.sub does with
	// (.)([A-Z][a-z]+).
	for i := 0; i < len(rs); {
		if i+2 < len(rs) && rs[i] != '\n' && isUpper(rune(rs[i+1])) && isLower(rune(rs[i+2])) {
			j := i + 3
			for j < len(rs) && isLower(rune(rs[j])) {
				j++
			}
			out = append(out, rs[i], '_')
			out = append(out, rs[i+1:j]...)
			i = j
			continue
		}
		out = append(out, rs[i])
		i++
	}
	// And one between a lower-case letter or digit and a capital, again
	// without overlapping matches: ([a-z0-9])([A-Z]).
	rs, out = out, out2[:0]
	for i := 0; i < len(rs); {
		if i+1 < len(rs) && (isLower(rune(rs[i])) || isDigit(rune(rs[i]))) && isUpper(rune(rs[i+1])) {
			out = append(out, rs[i], '_', rs[i+1])
			i += 2
			continue
		}
		out = append(out, rs[i])
		i++
	}
	return out
}
