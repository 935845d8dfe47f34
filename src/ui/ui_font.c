/* ui_font: the DejaVu fonts of Debian's fonts-dejavu-core, found at run time
 * through fontconfig (no font files in the repository), and a cache of rendered
 * strings so that redrawing the same labels every frame costs one copy each.
 */
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_internal.h"

struct font_row {
    const char *pattern; /* fontconfig pattern */
    int size_pt;
};

static const struct font_row font_table[UI_F_COUNT] = {
    [UI_F_SMALL] = {"DejaVu Sans:style=Book", 11},
    [UI_F_NORMAL] = {"DejaVu Sans:style=Book", 13},
    [UI_F_BOLD] = {"DejaVu Sans:style=Bold", 13},
    [UI_F_TITLE] = {"DejaVu Sans:style=Bold", 17},
    [UI_F_LCD] = {"DejaVu Sans Mono:style=Bold", 15},
};

static int find_font(const char *pattern, char *out, size_t out_len)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        return -1;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    int rc = -1;
    FcChar8 *file = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        snprintf(out, out_len, "%s", (const char *)file);
        rc = 0;
    }
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return rc;
}

int ui_font_open(struct ui *ui, char *err, size_t err_len)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, err_len, "gtxsim gui: error: SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    if (!FcInit()) {
        snprintf(err, err_len, "gtxsim gui: error: fontconfig could not start");
        return -1;
    }
    for (int i = 0; i < UI_F_COUNT; i++) {
        char path[1024];
        if (find_font(font_table[i].pattern, path, sizeof path) != 0 ||
            !(ui->font[i] = TTF_OpenFont(path, font_table[i].size_pt))) {
            snprintf(err, err_len,
                     "gtxsim gui: error: no font for '%s' (install fonts-dejavu-core)",
                     font_table[i].pattern);
            return -1;
        }
        TTF_SetFontHinting(ui->font[i], TTF_HINTING_LIGHT);
    }
    return 0;
}

void ui_font_close(struct ui *ui)
{
    for (int i = 0; i < UI_TEXT_CACHE; i++) {
        if (ui->cache[i].tex)
            SDL_DestroyTexture(ui->cache[i].tex);
        free(ui->cache[i].text);
        memset(&ui->cache[i], 0, sizeof ui->cache[i]);
    }
    for (int i = 0; i < UI_F_COUNT; i++) {
        if (ui->font[i])
            TTF_CloseFont(ui->font[i]);
        ui->font[i] = NULL;
    }
    if (TTF_WasInit())
        TTF_Quit();
    FcFini();
}

int ui_font_height(struct ui *ui, enum ui_font_id f)
{
    return ui->font[f] ? TTF_FontHeight(ui->font[f]) : 12;
}

static uint32_t key_hash(enum ui_font_id f, SDL_Color c, const char *text)
{
    uint32_t h = 2166136261u;
    h = (h ^ (uint32_t)f) * 16777619u;
    h = (h ^ ((uint32_t)c.r | (uint32_t)c.g << 8 | (uint32_t)c.b << 16 | (uint32_t)c.a << 24)) *
        16777619u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* The cached texture of a string; the key is the hash and the text itself
 * (a colliding string replaces its slot). */
static struct ui_text_entry *cached(struct ui *ui, enum ui_font_id f, SDL_Color c,
                                    const char *text)
{
    uint32_t h = key_hash(f, c, text);
    struct ui_text_entry *e = &ui->cache[h % UI_TEXT_CACHE];
    if (e->tex && e->hash == h && strcmp(e->text, text) == 0)
        return e;
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e->text);
    memset(e, 0, sizeof *e);
    SDL_Surface *s = TTF_RenderUTF8_Blended(ui->font[f], text, c);
    if (!s)
        return NULL;
    e->tex = SDL_CreateTextureFromSurface(ui->ren, s);
    e->w = s->w;
    e->h = s->h;
    SDL_FreeSurface(s);
    e->text = strdup(text);
    if (!e->tex || !e->text) {
        if (e->tex)
            SDL_DestroyTexture(e->tex);
        free(e->text);
        memset(e, 0, sizeof *e);
        return NULL;
    }
    e->hash = h;
    return e;
}

int ui_text(struct ui *ui, enum ui_font_id f, int x, int y, enum ui_align a, SDL_Color col,
            const char *text)
{
    if (!text || !*text || !ui->font[f])
        return 0;
    struct ui_text_entry *e = cached(ui, f, col, text);
    if (!e)
        return 0;
    SDL_Rect d = {x, y, e->w, e->h};
    if (a == UI_CENTRE)
        d.x -= e->w / 2;
    else if (a == UI_RIGHT)
        d.x -= e->w;
    SDL_RenderCopy(ui->ren, e->tex, NULL, &d);
    return e->w;
}

int ui_textf(struct ui *ui, enum ui_font_id f, int x, int y, enum ui_align a, SDL_Color col,
             const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_text(ui, f, x, y, a, col, buf);
}

int ui_text_width(struct ui *ui, enum ui_font_id f, const char *text)
{
    int w = 0, h = 0;
    if (!text || !*text || !ui->font[f] || TTF_SizeUTF8(ui->font[f], text, &w, &h) != 0)
        return 0;
    return w;
}

/* The longest prefix of text (up to a space, or the whole) that fits w px. */
static size_t fit_words(struct ui *ui, enum ui_font_id f, const char *text, size_t len, int w)
{
    char buf[512];
    size_t best = 0;
    for (size_t i = 0; i <= len && i < sizeof buf; i++) {
        if (i < len && text[i] != ' ')
            continue;
        memcpy(buf, text, i);
        buf[i] = '\0';
        if (ui_text_width(ui, f, buf) > w)
            break;
        best = i;
    }
    return best;
}

/* The last line: as much as fits with an ellipsis after it, cut at a space
 * where there is one (cut inside a word only when one word is too long). */
static void ellipsize(struct ui *ui, enum ui_font_id f, const char *text, size_t len, int w,
                      char *out, size_t out_len)
{
    static const char ell[] = "\xe2\x80\xa6";
    size_t n = len < out_len - sizeof ell ? len : out_len - sizeof ell;
    for (;;) {
        memcpy(out, text, n);
        memcpy(out + n, ell, sizeof ell);
        if (n == 0 || ui_text_width(ui, f, out) <= w)
            return;
        size_t cut = n - 1;
        while (cut > 0 && text[cut] != ' ')
            cut--;
        if (cut == 0) /* a single long word: drop whole UTF-8 characters */
            for (cut = n - 1; cut > 0 && ((unsigned char)text[cut] & 0xc0u) == 0x80u; cut--)
                ;
        while (cut > 0 && text[cut - 1] == ' ')
            cut--;
        n = cut;
    }
}

int ui_text_wrap(struct ui *ui, enum ui_font_id f, int x, int y, int w, int line_h, int max_lines,
                 SDL_Color col, const char *text)
{
    int lines = 0;
    const char *p = text ? text : "";
    char buf[512];
    while (*p && lines < max_lines) {
        size_t para = strcspn(p, "\n");
        size_t take = fit_words(ui, f, p, para, w);
        const char *next = p + (take ? take : para);
        while (*next == ' ')
            next++;
        if (*next == '\n')
            next++;
        if (take == 0 || (lines == max_lines - 1 && *next)) {
            /* a word wider than the line, or text left over for no line */
            ellipsize(ui, f, p, para, w, buf, sizeof buf);
            next = p + para;
        } else {
            size_t n = take < sizeof buf - 1 ? take : sizeof buf - 1;
            memcpy(buf, p, n);
            buf[n] = '\0';
        }
        ui_text(ui, f, x, y + lines * line_h, UI_LEFT, col, buf);
        lines++;
        p = next;
        while (*p == ' ' || *p == '\n')
            p++;
    }
    return lines;
}
