/* bms_console_row: the console's row printer, without stdio. Every reply row is
 * written by bms_console_print from a small format (text, strings, right-aligned
 * integers and fixed-point numbers, padding to a column), so the renderers say
 * what a row looks like in one line; the put helpers are its parts.
 */
#include "bms_console.h"

void bms_console_put_n(struct bms_console_row *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i] != '\0' && r->len < sizeof r->buf; i++)
        r->buf[r->len++] = s[i];
}

void bms_console_put(struct bms_console_row *r, const char *s)
{
    bms_console_put_n(r, s, sizeof r->buf);
}

void bms_console_pad(struct bms_console_row *r, size_t column)
{
    while (r->len < column && r->len < sizeof r->buf)
        r->buf[r->len++] = ' ';
}

/* Digits of v written backwards ending at end; returns the first. */
static char *utoa_rev(uint32_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    return end;
}

static void put_right(struct bms_console_row *r, const char *s, size_t len, unsigned width,
                      char fill)
{
    const char pad[2] = {fill, '\0'};
    for (size_t i = len; i < width; i++)
        bms_console_put(r, pad);
    bms_console_put_n(r, s, len);
}

static void put_u32_fill(struct bms_console_row *r, uint32_t v, unsigned width, char fill)
{
    char tmp[12];
    char *s = utoa_rev(v, tmp + sizeof tmp);
    put_right(r, s, (size_t)(tmp + sizeof tmp - s), width, fill);
}

void bms_console_put_u32(struct bms_console_row *r, uint32_t v, unsigned width)
{
    put_u32_fill(r, v, width, ' ');
}

void bms_console_put_i32(struct bms_console_row *r, int32_t v, unsigned width)
{
    bms_console_put_fixed(r, v, 0, width);
}

void bms_console_put_fixed(struct bms_console_row *r, int32_t v, unsigned decimals,
                           unsigned width)
{
    char tmp[16];
    char *end = tmp + sizeof tmp, *s = end;
    uint32_t mag = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    for (unsigned i = 0; i < decimals && i < 9u; i++) {
        *--s = (char)('0' + mag % 10u);
        mag /= 10u;
    }
    if (decimals > 0)
        *--s = '.';
    s = utoa_rev(mag, s);
    if (v < 0)
        *--s = '-';
    put_right(r, s, (size_t)(end - s), width, ' ');
}

static unsigned read_count(const char **p)
{
    unsigned n = 0;
    while (**p >= '0' && **p <= '9' && n < 1000u)
        n = n * 10u + (unsigned)(*(*p)++ - '0');
    return n;
}

void bms_console_print(struct bms_console_row *r, const char *fmt, const int32_t *num,
                       const char *const *str)
{
    const char *p = fmt;
    while (*p != '\0') {
        const char *text = p;
        while (*p != '\0' && *p != '%')
            p++;
        bms_console_put_n(r, text, (size_t)(p - text));
        if (*p == '\0')
            break;
        p++; /* the '%' */
        char fill = *p == '0' ? '0' : ' ';
        unsigned width = read_count(&p), decimals = 0;
        if (*p == '.') {
            p++;
            decimals = read_count(&p);
        }
        switch (*p) {
        case 's': bms_console_put(r, *str++); break;
        case 'u': put_u32_fill(r, (uint32_t)*num++, width, fill); break;
        case 'd': bms_console_put_fixed(r, *num++, decimals, width); break;
        case 't': bms_console_pad(r, width); break;
        case '%': bms_console_put(r, "%"); break;
        default: return; /* a format error: the row ends here */
        }
        p++;
    }
}
