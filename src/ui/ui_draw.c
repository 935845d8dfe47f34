/* ui_draw: the window's drawing primitives and its colour table: filled and
 * outlined rectangles, tinted anti-aliased disks (LEDs, knobs, terminals),
 * arcs (the start button's hold progress) and push buttons that register
 * where a click goes.
 */
#include <math.h>

#include "ui_internal.h"

#define DISK_SIZE 64

static const SDL_Color colour_table[UI_C_COUNT] = {
    [UI_C_BG] = {24, 26, 30, 255},
    [UI_C_TOPBAR] = {34, 37, 43, 255},
    [UI_C_AREA] = {36, 39, 45, 255},
    [UI_C_AREA_EDGE] = {62, 66, 74, 255},
    [UI_C_PANEL] = {46, 48, 52, 255},
    [UI_C_PANEL_EDGE] = {92, 96, 104, 255},
    [UI_C_PANEL_SEL] = {90, 160, 230, 255},
    [UI_C_TEXT] = {225, 228, 232, 255},
    [UI_C_DIM] = {140, 146, 156, 255},
    [UI_C_SILK] = {236, 236, 230, 255},
    [UI_C_LED_G_ON] = {60, 240, 90, 255},
    [UI_C_LED_G_OFF] = {22, 52, 30, 255},
    [UI_C_LED_R_ON] = {255, 50, 40, 255},
    [UI_C_LED_R_OFF] = {60, 22, 22, 255},
    [UI_C_LED_G_GLOW] = {60, 240, 90, 70},
    [UI_C_LED_R_GLOW] = {255, 50, 40, 70},
    [UI_C_DRY_CLOSED] = {255, 176, 0, 255},
    [UI_C_DRY_OPEN] = {54, 58, 64, 255},
    [UI_C_LCD_BG] = {156, 196, 72, 255},
    [UI_C_LCD_TEXT] = {22, 36, 12, 255},
    [UI_C_LCD_OFF] = {58, 70, 44, 255},
    [UI_C_BEZEL] = {16, 16, 18, 255},
    [UI_C_BUTTON] = {58, 62, 70, 255},
    [UI_C_BUTTON_HOT] = {74, 80, 90, 255},
    [UI_C_BUTTON_ON] = {40, 110, 190, 255},
    [UI_C_ACCENT] = {90, 170, 240, 255},
    [UI_C_WARN] = {250, 190, 60, 255},
    [UI_C_BAD] = {240, 80, 70, 255},
    [UI_C_GOOD] = {90, 210, 110, 255},
    [UI_C_TERM_POS] = {200, 40, 40, 255},
    [UI_C_TERM_NEG] = {20, 20, 22, 255},
    [UI_C_METAL] = {176, 180, 186, 255},
    [UI_C_PORT] = {28, 29, 31, 255},
    [UI_C_PORT_HOLE] = {8, 8, 9, 255},
    [UI_C_CABLE] = {70, 120, 200, 255},
    [UI_C_SHADE] = {0, 0, 0, 150},
};

SDL_Color ui_colour(enum ui_colour c)
{
    return colour_table[c];
}

void ui_set(struct ui *ui, enum ui_colour c)
{
    SDL_Color k = colour_table[c];
    SDL_SetRenderDrawColor(ui->ren, k.r, k.g, k.b, k.a);
}

void ui_fill(struct ui *ui, struct ui_rect r, enum ui_colour c)
{
    ui_set(ui, c);
    SDL_Rect s = {r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(ui->ren, &s);
}

void ui_outline(struct ui *ui, struct ui_rect r, enum ui_colour c)
{
    ui_set(ui, c);
    SDL_Rect s = {r.x, r.y, r.w, r.h};
    SDL_RenderDrawRect(ui->ren, &s);
}

struct ui_rect ui_area_frame(struct ui *ui, enum ui_area area)
{
    struct ui_rect a;
    ui_layout_area(sim_view_pack_count(ui->sim), area, &a);
    ui_fill(ui, a, UI_C_AREA);
    ui_outline(ui, a, UI_C_AREA_EDGE);
    return a;
}

/* A white disk with a one-pixel soft edge, in the alpha channel. */
static SDL_Texture *make_disk(SDL_Renderer *ren)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, DISK_SIZE, DISK_SIZE, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    const double r = DISK_SIZE / 2.0;
    for (int y = 0; y < DISK_SIZE; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < DISK_SIZE; x++) {
            double d = hypot(x + 0.5 - r, y + 0.5 - r);
            double a = r - d + 0.5;
            a = a < 0.0 ? 0.0 : a > 1.0 ? 1.0 : a;
            row[x] = ((Uint32)lround(a * 255.0) << 24) | 0x00ffffffu;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(ren, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

int ui_draw_init(struct ui *ui)
{
    ui->disk = make_disk(ui->ren);
    SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
    return ui->disk ? 0 : -1;
}

void ui_draw_free(struct ui *ui)
{
    if (ui->disk)
        SDL_DestroyTexture(ui->disk);
    ui->disk = NULL;
}

void ui_disk(struct ui *ui, int cx, int cy, int radius, SDL_Color col)
{
    SDL_Rect d = {cx - radius, cy - radius, 2 * radius, 2 * radius};
    SDL_SetTextureColorMod(ui->disk, col.r, col.g, col.b);
    SDL_SetTextureAlphaMod(ui->disk, col.a);
    SDL_RenderCopy(ui->ren, ui->disk, NULL, &d);
}

/* frac of a full turn, clockwise from 12 o'clock, three pixels thick. */
void ui_arc(struct ui *ui, int cx, int cy, int radius, double frac, SDL_Color col)
{
    if (frac <= 0.0)
        return;
    if (frac > 1.0)
        frac = 1.0;
    SDL_SetRenderDrawColor(ui->ren, col.r, col.g, col.b, col.a);
    enum { SEGS = 72 };
    SDL_Point pts[SEGS + 1];
    int n = (int)ceil(frac * SEGS);
    for (int w = 0; w < 3; w++) {
        double rr = radius + w;
        for (int i = 0; i <= n; i++) {
            double a = (i == n ? frac : (double)i / SEGS) * 2.0 * M_PI;
            pts[i].x = cx + (int)lround(rr * sin(a));
            pts[i].y = cy - (int)lround(rr * cos(a));
        }
        SDL_RenderDrawLines(ui->ren, pts, n + 1);
    }
}

void ui_hit_add(struct ui *ui, struct ui_rect r, int action, int arg)
{
    if (ui->nhits < UI_MAX_HITS)
        ui->hits[ui->nhits++] = (struct ui_hit){r, action, arg};
}

void ui_button(struct ui *ui, struct ui_rect r, const char *label, int action, int arg, bool on)
{
    bool hot = ui_rect_contains(&r, ui->mouse_x, ui->mouse_y);
    ui_fill(ui, r, on ? UI_C_BUTTON_ON : hot ? UI_C_BUTTON_HOT : UI_C_BUTTON);
    ui_outline(ui, r, on ? UI_C_ACCENT : UI_C_AREA_EDGE);
    int th = ui_font_height(ui, UI_F_SMALL);
    ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y + (r.h - th) / 2, UI_CENTRE, ui_colour(UI_C_TEXT),
            label);
    ui_hit_add(ui, r, action, arg);
}
