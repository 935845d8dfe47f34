/* ui_window.c: the window tests' shared helpers (see ui_window.h). */
#include "ui_window.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *uiw_env(const char *name)
{
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "%s is not set (run through meson test)", name);
    return v;
}

struct ui *uiw_open(const char *file)
{
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/%s", uiw_env("UI_TESTS"), file);
    struct ui_opts o = {.scenario = path, .headless = true};
    struct ui *ui = ui_create(&o, err, sizeof err);
    ck_assert_msg(ui != NULL, "%s", err);
    return ui;
}

void uiw_mouse(Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    ck_assert_int_eq(SDL_PushEvent(&e), 1);
}

void uiw_item_centre(int n_packs, int pack, enum ui_panel_item it, int *x, int *y)
{
    struct ui_rect r;
    ck_assert(ui_layout_panel(n_packs, pack, it, &r));
    ui_rect_centre(&r, x, y);
}
