/*
 * cmd_cd_print.c: prints a decoded Certification Declaration as text or as
 * JSON (shared/spec/attestation.md sections 4.1-4.3; the JSON layout is
 * that of the cd-decode vectors: envelope fields, every TLV element with
 * its offset and control byte, decoded values).
 */
#include <string.h>

#include "cmd_cd_print.h"
#include "matterfab/pki.h"
#include "matterfab/tlv.h"

static const char *
cert_type_name(unsigned t)
{
    switch (t) {
    case MFAB_CD_TYPE_DEVELOPMENT: return "development and test";
    case MFAB_CD_TYPE_PROVISIONAL: return "provisional";
    case MFAB_CD_TYPE_OFFICIAL: return "official";
    default: return "reserved";
    }
}

static void
put_hex(FILE *f, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        fprintf(f, "%02X", p[i]);
}

/* A JSON string; bytes outside printable ASCII are \u00XX escaped. */
static void
put_json_str(FILE *f, const char *s, size_t n)
{
    size_t i;

    fputc('"', f);
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7F)
            fprintf(f, "\\u%04X", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* see cmd_cd_print.h */
void
cd_print_text(FILE *f, const char *path, size_t der_len,
              const mfab_cd_envelope *env, const mfab_cd_content *c)
{
    size_t i;

    fprintf(f, "file: %s (%zu bytes)\n", path, der_len);
    fprintf(f, "signer SKID: ");
    put_hex(f, env->signer_skid, MFAB_CD_SKID_LEN);
    fprintf(f, "\nsignature: %zu bytes (not checked; see 'cd verify')\n",
            env->signature_len);
    fprintf(f, "content: %zu bytes\n", env->content_len);
    fprintf(f, "format_version: %u\n", c->format_version);
    fprintf(f, "vendor_id: 0x%04X\n", c->vendor_id);
    fprintf(f, "product_id_array:");
    for (i = 0; i < c->product_id_count; i++)
        fprintf(f, " 0x%04X", c->product_ids[i]);
    fprintf(f, "\ndevice_type_id: 0x%04X\n", (unsigned)c->device_type_id);
    fprintf(f, "certificate_id: ");
    put_json_str(f, c->certificate_id, strlen(c->certificate_id));
    fprintf(f, "\nsecurity_level: %u\n", c->security_level);
    fprintf(f, "security_information: %u\n", c->security_information);
    fprintf(f, "version_number: 0x%04X\n", c->version_number);
    fprintf(f, "certification_type: %u (%s)\n", c->certification_type,
            cert_type_name(c->certification_type));
    if (c->has_dac_origin) {
        fprintf(f, "dac_origin_vendor_id: 0x%04X\n", c->dac_origin_vendor_id);
        fprintf(f, "dac_origin_product_id: 0x%04X\n", c->dac_origin_product_id);
    }
    if (c->has_authorized_paa_list) {
        fprintf(f, "authorized_paa_list:");
        for (i = 0; i < c->authorized_paa_count; i++) {
            fputc(' ', f);
            put_hex(f, c->authorized_paa_list[i], MFAB_CD_SKID_LEN);
        }
        fputc('\n', f);
    }
}

static void
print_envelope(FILE *f, const mfab_cd_envelope *env)
{
    const char *params =
        env->algorithm_params ? "with parameters" : "no parameters";
    size_t i;

    fprintf(f, "  \"cms\": {\n");
    fprintf(f, "    \"contentType\": \"1.2.840.113549.1.7.2 "
               "(signedData)\",\n");
    fprintf(f, "    \"SignedData.version\": 3,\n");
    fprintf(f, "    \"digestAlgorithms\": [");
    for (i = 0; i < env->digest_algorithm_count; i++) {
        if (i == 0)
            fprintf(f, "\"2.16.840.1.101.3.4.2.1 (sha256, %s)\"", params);
        else
            fprintf(f, ", \"(further entry, not used)\"");
    }
    fprintf(f, "],\n");
    fprintf(f, "    \"eContentType\": \"1.2.840.113549.1.7.1 "
               "(pkcs7-data)\",\n");
    fprintf(f, "    \"certificates\": \"%s\",\n",
            env->has_certificates ? "present" : "absent");
    fprintf(f, "    \"crls\": \"%s\",\n", env->has_crls ? "present" : "absent");
    fprintf(f, "    \"signerInfos.count\": 1,\n");
    fprintf(f, "    \"signerInfo\": {\n");
    fprintf(f, "      \"version\": 3,\n");
    fprintf(f, "      \"sid\": \"[0] IMPLICIT subjectKeyIdentifier = ");
    put_hex(f, env->signer_skid, MFAB_CD_SKID_LEN);
    fprintf(f, "\",\n      \"digestAlgorithm\": \"sha256 (%s)\",\n", params);
    fprintf(f, "      \"signedAttrs\": \"absent\",\n");
    fprintf(f,
            "      \"signatureAlgorithm\": \"1.2.840.10045.4.3.2 "
            "ecdsa-with-SHA256 (%s)\",\n",
            params);
    fprintf(f, "      \"signature_der\": \"");
    put_hex(f, env->signature, env->signature_len);
    fprintf(f, "\",\n      \"unsignedAttrs\": \"%s\"\n",
            env->has_unsigned_attrs ? "present" : "absent");
    fprintf(f, "    }\n  },\n");
}

static void
print_decoded(FILE *f, const mfab_cd_content *c)
{
    size_t i;

    fprintf(f, "  \"decoded\": {\n");
    fprintf(f, "    \"format_version\": %u,\n", c->format_version);
    fprintf(f, "    \"vendor_id\": \"0x%04X\",\n", c->vendor_id);
    fprintf(f, "    \"product_id_array\": [");
    for (i = 0; i < c->product_id_count; i++)
        fprintf(f, "%s\"0x%04X\"", i ? ", " : "", c->product_ids[i]);
    fprintf(f, "],\n    \"device_type_id\": \"0x%04X\",\n",
            (unsigned)c->device_type_id);
    fprintf(f, "    \"certificate_id\": ");
    put_json_str(f, c->certificate_id, strlen(c->certificate_id));
    fprintf(f, ",\n    \"security_level\": %u,\n", c->security_level);
    fprintf(f, "    \"security_information\": %u,\n", c->security_information);
    fprintf(f, "    \"version_number\": \"0x%04X\",\n", c->version_number);
    fprintf(f, "    \"certification_type\": %u", c->certification_type);
    if (c->has_dac_origin)
        fprintf(f,
                ",\n    \"dac_origin_vendor_id\": \"0x%04X\",\n"
                "    \"dac_origin_product_id\": \"0x%04X\"",
                c->dac_origin_vendor_id, c->dac_origin_product_id);
    if (c->has_authorized_paa_list) {
        fprintf(f, ",\n    \"authorized_paa_list\": [");
        for (i = 0; i < c->authorized_paa_count; i++) {
            fprintf(f, "%s\"", i ? ", " : "");
            put_hex(f, c->authorized_paa_list[i], MFAB_CD_SKID_LEN);
            fputc('"', f);
        }
        fputc(']', f);
    }
    fprintf(f, "\n  },\n");
}

static void
put_tag(FILE *f, const mfab_tlv_tag *t)
{
    switch (t->kind) {
    case MFAB_TLV_TAG_ANONYMOUS: fprintf(f, "\"anonymous\""); break;
    case MFAB_TLV_TAG_CONTEXT:
        fprintf(f, "\"context %u\"", (unsigned)t->number);
        break;
    case MFAB_TLV_TAG_COMMON:
        fprintf(f, "\"common %u\"", (unsigned)t->number);
        break;
    case MFAB_TLV_TAG_IMPLICIT:
        fprintf(f, "\"implicit %u\"", (unsigned)t->number);
        break;
    default:
        fprintf(f, "\"fully-qualified %04X:%04X:%u\"", t->vendor, t->profile,
                (unsigned)t->number);
        break;
    }
}

/* Type names as the vectors spell them ("uint16", "utf8-len8", ...). */
static void
put_type(FILE *f, const mfab_tlv_element *e)
{
    static const char *const names[] = {
        [MFAB_TLV_BOOL] = "boolean",     [MFAB_TLV_FLOAT] = "float32",
        [MFAB_TLV_DOUBLE] = "float64",   [MFAB_TLV_NULL] = "null",
        [MFAB_TLV_STRUCT] = "structure", [MFAB_TLV_ARRAY] = "array",
        [MFAB_TLV_LIST] = "list",        [MFAB_TLV_END] = "end-of-container",
    };

    switch (e->type) {
    case MFAB_TLV_INT: fprintf(f, "\"int%u\"", e->width * 8u); break;
    case MFAB_TLV_UINT: fprintf(f, "\"uint%u\"", e->width * 8u); break;
    case MFAB_TLV_UTF8: fprintf(f, "\"utf8-len%u\"", e->width * 8u); break;
    case MFAB_TLV_BYTES: fprintf(f, "\"bytes-len%u\"", e->width * 8u); break;
    default: fprintf(f, "\"%s\"", names[e->type]); break;
    }
}

static void
put_value(FILE *f, const mfab_tlv_element *e)
{
    switch (e->type) {
    case MFAB_TLV_INT:
        fprintf(f, ", \"value\": %lld", (long long)e->v.i);
        break;
    case MFAB_TLV_UINT:
        fprintf(f, ", \"value\": %llu", (unsigned long long)e->v.u);
        break;
    case MFAB_TLV_BOOL:
        fprintf(f, ", \"value\": %s", e->v.b ? "true" : "false");
        break;
    case MFAB_TLV_FLOAT:
    case MFAB_TLV_DOUBLE: fprintf(f, ", \"value\": %.17g", e->v.f); break;
    case MFAB_TLV_UTF8:
        fprintf(f, ", \"length\": %zu, \"value\": ", e->v.s.len);
        put_json_str(f, (const char *)e->v.s.p, e->v.s.len);
        break;
    case MFAB_TLV_BYTES:
        fprintf(f, ", \"length\": %zu, \"value\": \"", e->v.s.len);
        put_hex(f, e->v.s.p, e->v.s.len);
        fputc('"', f);
        break;
    default: break;
    }
}

/* Every element of content that decoded already, one JSON object each. */
static void
print_elements(FILE *f, const uint8_t *content, size_t len)
{
    mfab_tlv_reader r;
    mfab_tlv_element e;
    int depth = 0, first = 1;

    fprintf(f, "  \"tlv_elements\": [");
    mfab_tlv_reader_init(&r, content, len);
    while (mfab_tlv_next(&r, &e) == 0) {
        if (e.type == MFAB_TLV_END)
            depth--;
        fprintf(f,
                "%s\n    {\"offset\": %zu, \"control\": \"0x%02X\", "
                "\"tag\": ",
                first ? "" : ",", (size_t)(e.start - content), e.start[0]);
        put_tag(f, &e.tag);
        fprintf(f, ", \"type\": ");
        put_type(f, &e);
        fprintf(f, ", \"depth\": %d", depth);
        put_value(f, &e);
        fprintf(f, ", \"bytes\": \"");
        put_hex(f, e.start, e.encoded_len);
        fprintf(f, "\"}");
        if (e.type == MFAB_TLV_STRUCT || e.type == MFAB_TLV_ARRAY ||
            e.type == MFAB_TLV_LIST)
            depth++;
        first = 0;
    }
    fprintf(f, "\n  ]\n");
}

/* see cmd_cd_print.h */
void
cd_print_json(FILE *f, const char *path, size_t der_len,
              const mfab_cd_envelope *env, const mfab_cd_content *c)
{
    fprintf(f, "{\n  \"file\": ");
    put_json_str(f, base_name(path), strlen(base_name(path)));
    fprintf(f, ",\n  \"cms_total_length\": %zu,\n", der_len);
    print_envelope(f, env);
    fprintf(f, "  \"cd_tlv_hex\": \"");
    put_hex(f, env->content, env->content_len);
    fprintf(f, "\",\n  \"cd_tlv_length\": %zu,\n", env->content_len);
    print_decoded(f, c);
    print_elements(f, env->content, env->content_len);
    fprintf(f, "}\n");
}

/* see cmd_cd_print.h */
void
cd_print_verdict_json(FILE *f, int result, const char *detail)
{
    fprintf(f, "{\"result\": \"%s\", \"code\": %d, \"detail\": ",
            mfab_pki_result_name(result), result);
    put_json_str(f, detail, strlen(detail));
    fprintf(f, "}\n");
}
