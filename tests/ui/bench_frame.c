/* bench_frame: the window's frame time at 3600x (60 s of simulated time per
 * 60 fps frame: stepping plus drawing, software renderer, one pack charging)
 * and the drawing alone. Prints figures; asserts nothing about time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gtx/ui.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

int main(void)
{
    const char *dir = getenv("UI_TESTS");
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/charging_60.json", dir ? dir : "tests/ui");
    struct ui_opts o = {.scenario = path, .headless = true};
    struct ui *ui = ui_create(&o, err, sizeof err);
    if (!ui) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ui_frame_sim(ui, 2.0);
    const int frames = 120;
    double worst = 0.0, t0 = now_ms();
    for (int i = 0; i < frames; i++) {
        double f0 = now_ms();
        ui_frame_sim(ui, 3600.0 / 60.0);
        double f = now_ms() - f0;
        worst = f > worst ? f : worst;
    }
    double mean = (now_ms() - t0) / frames;
    double r0 = now_ms();
    for (int i = 0; i < frames; i++)
        ui_frame_sim(ui, 0.0);
    double draw = (now_ms() - r0) / frames;
    printf("3600x: %.2f ms per frame (worst %.2f ms) over %d frames of 60 s simulated; "
           "drawing alone %.2f ms\n", mean, worst, frames, draw);
    ui_destroy(ui);
    return 0;
}
