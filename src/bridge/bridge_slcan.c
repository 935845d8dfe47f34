/* bridge_slcan: the SLCAN (LAWICEL ASCII) protocol as a byte-stream machine:
 * commands ending in CR, answered CR (ok) or BEL (error), frames t/T while
 * the channel is open. Replies never contain LF (docs/spec/CAN.md, docs/bridges.md).
 */
#include "gtx/bridge_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SLCAN_OK "\r"
#define SLCAN_ERROR "\a"

void bridge_slcan_init(struct bridge_slcan *s)
{
    memset(s, 0, sizeof *s);
}

bool bridge_slcan_parse_frame(const char *line, size_t len, struct board_can_frame *f)
{
    if (len < 1 || (line[0] != 't' && line[0] != 'T'))
        return false;
    bool ext = line[0] == 'T';
    size_t id_n = ext ? 8 : 3;
    uint32_t id, dlc;
    if (len < 1 + id_n + 1 || !bridge_parse_hex(line + 1, id_n, &id) ||
        !bridge_parse_hex(line + 1 + id_n, 1, &dlc) || dlc > 8)
        return false;
    if (id > (ext ? 0x1FFFFFFFu : 0x7FFu) || len != 1 + id_n + 1 + 2 * dlc)
        return false;
    memset(f, 0, sizeof *f);
    f->id = id;
    f->extended = ext;
    f->dlc = (uint8_t)dlc;
    for (uint32_t k = 0; k < dlc; k++) {
        uint32_t b;
        if (!bridge_parse_hex(line + 2 + id_n + 2 * k, 2, &b))
            return false;
        f->data[k] = (uint8_t)b;
    }
    return true;
}

size_t bridge_slcan_format_frame(const struct bridge_slcan *s, char *buf, size_t cap,
                                 uint64_t t_us, const struct board_can_frame *f)
{
    char tmp[BRIDGE_SLCAN_FRAME_MAX];
    uint8_t dlc = f->dlc <= 8 ? f->dlc : 8;
    int n = f->extended ? snprintf(tmp, sizeof tmp, "T%08" PRIX32 "%u", f->id & 0x1FFFFFFFu, dlc)
                        : snprintf(tmp, sizeof tmp, "t%03" PRIX32 "%u", f->id & 0x7FFu, dlc);
    for (uint8_t k = 0; k < dlc; k++)
        n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%02X", f->data[k]);
    if (s->timestamps) /* LAWICEL: milliseconds, wrapping at 60 000 */
        n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%04X",
                      (unsigned)((t_us / 1000u) % 60000u));
    n += snprintf(tmp + n, sizeof tmp - (size_t)n, "\r");
    if ((size_t)n >= cap)
        return 0;
    memcpy(buf, tmp, (size_t)n + 1);
    return (size_t)n;
}

static void reply(const struct bridge_proto_io *io, const char *text)
{
    io->reply(io->ctx, text, strlen(text));
}

/* One command line (no CR): the reply it gets. */
static const char *run_line(struct bridge_slcan *s, const char *l, size_t n,
                            const struct bridge_proto_io *io)
{
    struct board_can_frame f;
    char err[BRIDGE_ERR_MAX];
    uint32_t v;
    switch (l[0]) {
    case 'O': /* open; python-can sends it twice, so a second one is fine */
    case 'L': /* listen-only open: taken as a plain open */
        if (n != 1)
            return SLCAN_ERROR;
        s->open = true;
        return SLCAN_OK;
    case 'C':
        if (n != 1)
            return SLCAN_ERROR;
        s->open = false;
        return SLCAN_OK;
    case 'S': /* bit rate: the simulated bus is always 500 kbit/s; any code accepted */
        return n == 2 && l[1] >= '0' && l[1] <= '8' && !s->open ? SLCAN_OK : SLCAN_ERROR;
    case 's':
        return n == 5 && bridge_parse_hex(l + 1, 4, &v) && !s->open ? SLCAN_OK : SLCAN_ERROR;
    case 't':
    case 'T':
        if (!s->open || !bridge_slcan_parse_frame(l, n, &f) ||
            !io->frame(io->ctx, &f, err, sizeof err))
            return SLCAN_ERROR;
        return l[0] == 't' ? "z\r" : "Z\r";
    case 'r':
    case 'R': /* the simulated bus carries no remote frames */
        return SLCAN_ERROR;
    case 'V':
        return n == 1 ? "V0101\r" : SLCAN_ERROR;
    case 'N':
        return n == 1 ? "NGTX0\r" : SLCAN_ERROR;
    case 'F':
        return n == 1 ? "F00\r" : SLCAN_ERROR;
    case 'Z':
        if (n != 2 || (l[1] != '0' && l[1] != '1'))
            return SLCAN_ERROR;
        s->timestamps = l[1] == '1';
        return SLCAN_OK;
    case 'M':
    case 'm': /* acceptance code and mask: accepted, every frame passes */
        return n == 9 && bridge_parse_hex(l + 1, 8, &v) ? SLCAN_OK : SLCAN_ERROR;
    default:
        return SLCAN_ERROR;
    }
}

void bridge_slcan_input(struct bridge_slcan *s, const uint8_t *data, size_t len,
                        const struct bridge_proto_io *io)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = data[i];
        if (c == '\n')
            continue; /* terminals send CR LF; LF means nothing here */
        if (c != '\r') {
            if (s->len < sizeof s->line)
                s->line[s->len++] = (char)c;
            else
                s->overlong = true;
            if (c < 0x20 || c >= 0x7F)
                s->binary = true;
            continue;
        }
        const char *r;
        if (s->len == 0 && !s->overlong)
            r = NULL; /* an empty line (slcand sends a few to resync): no reply */
        else if (s->overlong || s->binary)
            r = SLCAN_ERROR;
        else
            r = run_line(s, s->line, s->len, io);
        if (r) {
            s->lines++;
            if (r[0] == '\a')
                s->errors++;
            reply(io, r);
        }
        s->len = 0;
        s->overlong = false;
        s->binary = false;
    }
}
