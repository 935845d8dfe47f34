/* ui_window.h: what the window tests share: an environment variable that meson test
 * sets, a headless window opened on one of tests/ui's scenarios, and a synthetic mouse
 * button event. Failures are Check assertions. */
#ifndef GTX_TEST_UI_WINDOW_H
#define GTX_TEST_UI_WINDOW_H

#include <SDL.h>

#include "gtx/ui.h"

/* The value of a variable meson test sets (GTXSIM, UI_TESTS, UI_OUT); fails without. */
const char *uiw_env(const char *name);
/* A headless window on $UI_TESTS/file ("input.json"); fails when it cannot be made. */
struct ui *uiw_open(const char *file);
/* Pushes a left-button SDL_MOUSEBUTTONDOWN or SDL_MOUSEBUTTONUP at (x, y). */
void uiw_mouse(Uint32 type, int x, int y);
/* The centre of a panel item of pack (0-based) in a window of n_packs. */
void uiw_item_centre(int n_packs, int pack, enum ui_panel_item it, int *x, int *y);

#endif
