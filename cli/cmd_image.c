/*
 * cmd_image.c: "matterfab image info": ESP application and bootloader image
 * facts (shared/spec/production-images.md section 3), as text or JSON.
 *
 * The JSON keys and value spellings are those of the esp-image vectors'
 * expected.json, so the output can be compared field by field.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "matterfab/error.h"
#include "matterfab/espimage.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"

static const cli_opt info_opts[] = {
    { "json", NULL, NULL, "print the facts as one JSON object" },
};

static const cli_cmd_spec info_spec = {
    "image info", "IMAGE.bin",
    "Show the header, segments, checksum, appended SHA-256 and app or "
    "bootloader description of an ESP image",
    info_opts, sizeof(info_opts) / sizeof(info_opts[0]), 1, 1,
};

static const char *
valid(int ok)
{
    return ok ? "valid" : "INVALID";
}

static void
print_text(const mfab_espimage_info *in, const char *path)
{
    const char *chip = mfab_espimage_chip_name(in->chip_id);
    const char *mode = mfab_espimage_flash_mode_name(in->flash_mode);
    char hex[65];
    unsigned i;

    printf("File: %s (%zu bytes)\n", path, in->file_len);
    printf("Chip: %s (id %u)\n", chip ? chip : "unknown", in->chip_id);
    printf("Entry point: 0x%08x\n", in->entry);
    printf("Segments: %u\n", in->segment_count);
    printf("Flash mode: %s (%u)\n", mode ? mode : "unknown", in->flash_mode);
    printf("Flash size code: %u\n", in->flash_size_code);
    printf("Flash frequency code: 0x%x\n", in->flash_freq_code);
    printf("WP pin: 0x%02x\n", in->wp_pin);
    printf("Chip revision: min %u.%02u, max %u.%02u (legacy min %u)\n",
           in->min_rev_full / 100, in->min_rev_full % 100,
           in->max_rev_full / 100, in->max_rev_full % 100,
           in->min_rev_legacy);
    printf("\n  #  load addr   length      file offset\n");
    for (i = 0; i < in->segment_count; i++)
        printf("  %-2u 0x%08x  %-10u  0x%06zx\n", i,
               in->segments[i].load_addr, in->segments[i].length,
               in->segments[i].file_offset);
    printf("\nChecksum: 0x%02x at 0x%zx (%s", in->checksum,
           in->checksum_offset, valid(in->checksum_valid));
    if (!in->checksum_valid)
        printf(", calculated 0x%02x", in->checksum_calculated);
    printf(")\n");
    if (in->has_sha256) {
        mfab_hex_encode(hex, in->sha256, 32);
        printf("Appended SHA-256: %s (%s)\n", hex, valid(in->sha256_valid));
    } else {
        printf("Appended SHA-256: none\n");
    }
    printf("Image length: %zu, trailing bytes: %zu\n", in->image_len_total,
           in->trailing_len);
    if (in->has_app_desc) {
        const mfab_espimage_app_desc *d = &in->app_desc;

        mfab_hex_encode(hex, d->app_elf_sha256, 32);
        printf("\nApplication description (at 0x%x)\n",
               MFAB_ESPIMAGE_DESC_OFFSET);
        printf("  Project name: %s\n", d->project_name);
        printf("  App version: %s\n", d->version);
        printf("  Secure version: %u\n", d->secure_version);
        printf("  Compile time: %s %s\n", d->date, d->time);
        printf("  ESP-IDF: %s\n", d->idf_ver);
        printf("  ELF SHA-256: %s\n", hex);
        printf("  eFuse block revision: min %u, max %u\n",
               d->min_efuse_blk_rev_full, d->max_efuse_blk_rev_full);
        printf("  MMU page size log2: %u\n", d->mmu_page_size_log2);
    } else if (in->has_bootloader_desc) {
        const mfab_espimage_bootloader_desc *d = &in->bootloader_desc;

        printf("\nBootloader description (at 0x%x)\n",
               MFAB_ESPIMAGE_DESC_OFFSET);
        printf("  Version: %u\n", d->version);
        printf("  ESP-IDF: %s\n", d->idf_ver);
        printf("  Compile time: %s\n", d->date_time);
    }
}

static void
print_json(const mfab_espimage_info *in)
{
    const char *chip = mfab_espimage_chip_name(in->chip_id);
    char buf[80];
    unsigned i;

    printf("{\n");
    printf("  \"chip\": ");
    json_out_str(stdout, chip ? chip : "unknown");
    printf(",\n  \"file_size\": %zu,\n", in->file_len);
    printf("  \"header\": {\n");
    printf("    \"segments_count\": %u,\n", in->segment_count);
    printf("    \"flash_mode\": %u,\n", in->flash_mode);
    printf("    \"flash_size_code\": %u,\n", in->flash_size_code);
    printf("    \"flash_freq_code\": %u,\n", in->flash_freq_code);
    printf("    \"entry\": \"0x%08X\",\n", in->entry);
    printf("    \"wp_pin\": %u,\n", in->wp_pin);
    printf("    \"chip_id\": %u,\n", in->chip_id);
    printf("    \"min_rev_legacy\": %u,\n", in->min_rev_legacy);
    printf("    \"min_rev_full\": %u,\n", in->min_rev_full);
    printf("    \"max_rev_full\": %u,\n", in->max_rev_full);
    printf("    \"hash_appended\": %u\n  },\n", in->hash_appended);
    printf("  \"segments\": [");
    for (i = 0; i < in->segment_count; i++)
        printf("%s\n    { \"load_addr\": \"0x%08X\", \"length\": %u, "
               "\"file_offset\": %zu, \"data_offset\": %zu }",
               i ? "," : "", in->segments[i].load_addr,
               in->segments[i].length, in->segments[i].file_offset,
               in->segments[i].data_offset);
    printf("\n  ],\n");
    printf("  \"checksum_offset\": %zu,\n", in->checksum_offset);
    printf("  \"checksum\": \"0x%02X\",\n", in->checksum);
    printf("  \"checksum_valid\": %s,\n",
           in->checksum_valid ? "true" : "false");
    printf("  \"image_length_excluding_digest\": %zu,\n", in->image_len);
    if (in->has_sha256) {
        mfab_hex_encode(buf, in->sha256, 32);
        printf("  \"appended_sha256\": \"%s\",\n", buf);
        printf("  \"appended_sha256_valid\": %s,\n",
               in->sha256_valid ? "true" : "false");
    }
    printf("  \"image_length_including_digest\": %zu,\n",
           in->image_len_total);
    printf("  \"trailing_bytes_after_image\": %zu", in->trailing_len);
    if (in->has_app_desc) {
        const mfab_espimage_app_desc *d = &in->app_desc;

        printf(",\n  \"app_desc_offset\": \"0x%x\",\n",
               MFAB_ESPIMAGE_DESC_OFFSET);
        printf("  \"app_desc\": {\n");
        printf("    \"magic\": \"0x%08x\",\n", d->magic);
        printf("    \"secure_version\": %u,\n", d->secure_version);
        printf("    \"version\": ");
        json_out_str(stdout, d->version);
        printf(",\n    \"project_name\": ");
        json_out_str(stdout, d->project_name);
        printf(",\n    \"time\": ");
        json_out_str(stdout, d->time);
        printf(",\n    \"date\": ");
        json_out_str(stdout, d->date);
        printf(",\n    \"idf_ver\": ");
        json_out_str(stdout, d->idf_ver);
        mfab_hex_encode(buf, d->app_elf_sha256, 32);
        printf(",\n    \"app_elf_sha256\": \"%s\",\n", buf);
        printf("    \"min_efuse_blk_rev_full\": %u,\n",
               d->min_efuse_blk_rev_full);
        printf("    \"max_efuse_blk_rev_full\": %u,\n",
               d->max_efuse_blk_rev_full);
        printf("    \"mmu_page_size_log2\": %u\n  }", d->mmu_page_size_log2);
    } else if (in->has_bootloader_desc) {
        const mfab_espimage_bootloader_desc *d = &in->bootloader_desc;

        printf(",\n  \"bootloader_desc_offset\": \"0x%x\",\n",
               MFAB_ESPIMAGE_DESC_OFFSET);
        printf("  \"bootloader_desc\": {\n");
        printf("    \"magic_byte\": \"0x%02x\",\n", d->magic);
        printf("    \"version\": %u,\n", d->version);
        printf("    \"idf_ver\": ");
        json_out_str(stdout, d->idf_ver);
        printf(",\n    \"date_time\": ");
        json_out_str(stdout, d->date_time);
        printf("\n  }");
    }
    printf("\n}\n");
}

static int
image_info(int argc, char **argv)
{
    mfab_diag diag;
    mfab_espimage_info info;
    cli_args args;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &info_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = mfab_file_read(&buf, &len, args.pos[0], &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_espimage_parse(&info, buf, len, &diag);
    if (rc < 0) {
        cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
        goto out;
    }
    if (cli_has(&args, "json"))
        print_json(&info);
    else
        print_text(&info, args.pos[0]);
    /* The facts are printed either way; a damaged image still fails. */
    rc = mfab_espimage_check(&info, &diag);
    if (rc < 0) {
        cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
        goto out;
    }
    ret = CLI_EXIT_OK;
    goto out;
fail:
    ret = cli_fail(&diag, rc);
out:
    mfab_file_free(buf, len);
    return ret;
}

static const cli_subcmd image_cmds[] = {
    { "info", image_info, "show what an ESP app or bootloader image holds" },
};

int
cmd_image(int argc, char **argv)
{
    return cli_dispatch("image", image_cmds,
                        sizeof(image_cmds) / sizeof(image_cmds[0]), argc, argv);
}
