/* pylon_dump: a tiny tool for the DBC test. Decodes candump-style frames
 * ("351#2D02FA002C01C801") given as arguments with the C decoder and prints
 * one line per frame: the identifier in hex and key=value for its fields
 * (shell-quoted where a value holds spaces).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/bridge_proto.h"
#include "gtx/pylon.h"

static int parse(const char *text, struct board_can_frame *f)
{
    const char *hash = strchr(text, '#');
    if (!hash || hash == text || hash - text > 3)
        return -1;
    memset(f, 0, sizeof *f);
    if (!bridge_parse_hex(text, (size_t)(hash - text), &f->id))
        return -1;
    size_t n = strlen(hash + 1);
    if (n % 2 || n > 16)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        uint32_t b;
        if (!bridge_parse_hex(hash + 1 + 2 * i, 2, &b))
            return -1;
        f->data[i] = (uint8_t)b;
    }
    f->dlc = (uint8_t)(n / 2);
    return 0;
}

static void print_fields(const struct pylon_state *s, uint32_t seen)
{
    switch (seen) {
    case PYLON_SEEN_LIMITS:
        printf(" cvl_v=%.6f ccl_a=%.6f dcl_a=%.6f dvl_v=%.6f", s->cvl_v, s->ccl_a, s->dcl_a,
               s->dvl_v);
        break;
    case PYLON_SEEN_SOC:
        printf(" soc_pct=%d soh_pct=%d soc_hires_pct=%.6f remaining_ah=%.6f", s->soc_pct,
               s->soh_pct, s->soc_hires_pct, s->remaining_ah);
        break;
    case PYLON_SEEN_MEASURE:
        printf(" voltage_v=%.6f current_a=%.6f temp_c=%.6f cycles=%d", s->voltage_v,
               s->current_a, s->temp_c, s->cycles);
        break;
    case PYLON_SEEN_ALARMS:
        printf(" protect_word=%u alarm_word=%u packs_online=%d", pylon_protect_word(s),
               pylon_alarm_word(s), s->packs_online);
        break;
    case PYLON_SEEN_FLAGS:
        printf(" charge_enable=%d discharge_enable=%d force_charge=%d full_charge_request=%d",
               s->charge_enable, s->discharge_enable, s->force_charge, s->full_charge_request);
        break;
    case PYLON_SEEN_NAME:
        printf(" manufacturer=\"%s\"", s->manufacturer);
        break;
    default:
        break;
    }
}

int main(int argc, char **argv)
{
    struct pylon_state s;
    pylon_state_init(&s);
    for (int i = 1; i < argc; i++) {
        struct board_can_frame f;
        if (parse(argv[i], &f) < 0) {
            fprintf(stderr, "pylon_dump: error: bad frame '%s' (expected ID#HEXDATA)\n",
                    argv[i]);
            return 2;
        }
        uint32_t seen = pylon_decode(&s, &f);
        printf("%03X", (unsigned)f.id);
        if (!seen)
            printf(" ignored");
        print_fields(&s, seen);
        printf("\n");
    }
    return 0;
}
