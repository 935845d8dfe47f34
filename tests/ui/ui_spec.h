/* ui_spec.h: what the window tests check against: docs/spec/PRODUCT.md §4's LED table
 * and flash patterns written out independently of the firmware, a PNG reader,
 * and how a rendered LED or dry-contact indicator is told on from off.
 */
#ifndef GTX_TEST_UI_SPEC_H
#define GTX_TEST_UI_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/scenario.h"
#include "gtx/scn_run.h"
#include "gtx/sim.h"
#include "gtx/ui.h"
#include "gtx/sim_view.h"

/* docs/spec/PRODUCT.md §4 as a model: each LED's pattern and when it began. */
struct spec_leds {
    char mode[8];          /* '0' '1' 'a' 'b' 'c'; index 0 = L1 */
    uint64_t since_ms[8];  /* when that LED's pattern began */
    int state;
    uint64_t state_since_ms;
    bool started;
};

/* Feeds the model the state and shown SOC after the tick at t_ms. */
void spec_update(struct spec_leds *m, int state, int soc_pct, uint64_t t_ms);

/* Which LEDs the spec lights after the tick at t_ms (bit 0 = L1), and the
 * distance in ms from t_ms to the nearest flash or sweep edge (so a test can
 * refuse instants where one tick of phase would flip the answer). */
uint8_t spec_lit(const struct spec_leds *m, uint64_t t_ms, int *margin_ms);

/* Reads an 8-bit RGB or RGBA PNG into a malloc'ed RGB buffer (w*h*3). */
uint8_t *spec_png_read(const char *path, int *w, int *h);

/* A rendered LED centre: lit (green L1-L6/L8 or red L7) or dark. */
bool spec_led_on(const uint8_t rgb[3]);
/* The LEDs of pack (0-based, of n_packs) as the window's last frame shows them, bit 0 = L1. */
uint8_t spec_screen_lit(struct ui *ui, int n_packs, int pack);
/* A pixel in a lit LED's own colour (green, or red for L7): what a flashing
 * LED's ring and flash-marker dots are drawn in; a steady LED's soft glow is
 * not. */
bool spec_led_colour(const uint8_t rgb[3], bool red);
/* The marker dots §4's mode asks for: flash 1/2/3 ('a' 'b' 'c') 1/2/3, else 0. */
int spec_flash_dots(char mode);
/* How many pixels of r in the frame last rendered are exactly rgb (a text's
 * glyph cores are exactly its colour). */
int spec_count_colour(struct ui *ui, struct ui_rect r, const uint8_t rgb[3]);
/* A dry-contact indicator: closed (amber) or open. */
bool spec_dry_closed(const uint8_t rgb[3]);

/* "10000111": L8 first, as docs/spec/SCENARIO.md's words. */
void spec_word(uint8_t lit, char out[9]);

/* Loads a scenario and the default cell; builds and returns a simulator with
 * its timeline (NULL on failure, message on stderr). Free with spec_sim_free. */
struct spec_sim {
    struct scn_scenario scn;
    struct cell_params *cell;
    struct sim *sim;
    struct scn_timeline tl;
};
int spec_sim_open(struct spec_sim *ss, const char *path);
/* Runs to just after the tick at t_ms, feeding the LED model on every tick. */
void spec_sim_run(struct spec_sim *ss, uint64_t t_ms, struct spec_leds *m);
void spec_sim_free(struct spec_sim *ss);

/* The pins and relays of a pack (sim_view_pins), as a value. */
struct sim_pins spec_pins(const struct sim *s, int pack);

#endif
