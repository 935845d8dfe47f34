/* bench_cell: ns per cell_step of the default cell at -O2 (a benchmark, not a
 * test): 16 cells stepped every 10 ms with a varying current, as a pack does.
 * argv[1] is the source root. Prints "cell_step: N ns".
 */
#include <stdio.h>
#include <time.h>

#include "gtx/cell.h"
#include "gtx/cell_params_load.h"

#define BENCH_CELLS 16
#define BENCH_TICKS 2000000L

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/assets/cells/lfp50.json", argc > 1 ? argv[1] : ".");
    struct cell_params p;
    if (cell_params_load(path, &p, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    struct cell_state s[BENCH_CELLS];
    for (int c = 0; c < BENCH_CELLS; c++)
        cell_init(&s[c], &p, 0.9 - 0.001 * c, 25.0);
    struct cell_step_out out;
    double sink = 0.0;
    double t0 = now_s();
    for (long k = 0; k < BENCH_TICKS; k++) {
        /* ±25 A (swapped every 1000 s) with a ripple that changes every tick,
         * so that nothing current-dependent is cached. */
        double i_a = ((k / 100000) & 1 ? 25.0 : -25.0) + (double)(k & 7) * 0.125;
        for (int c = 0; c < BENCH_CELLS; c++) {
            cell_step(&p, &s[c], i_a, 0.01, &out);
            sink += out.joule_w;
        }
    }
    double dt = now_s() - t0;
    printf("cell_step: %.1f ns (with energy books, %ld steps, final SOC %.4f, %g)\n",
           dt * 1e9 / (double)(BENCH_TICKS * BENCH_CELLS), BENCH_TICKS * BENCH_CELLS,
           s[0].soc, sink > 0 ? 1.0 : 0.0);
    t0 = now_s();
    for (long k = 0; k < BENCH_TICKS; k++) {
        double i_a = ((k / 100000) & 1 ? -25.0 : 25.0) - (double)(k & 7) * 0.125;
        for (int c = 0; c < BENCH_CELLS; c++)
            cell_step(&p, &s[c], i_a, 0.01, NULL);
    }
    dt = now_s() - t0;
    printf("cell_step: %.1f ns (states only)\n",
           dt * 1e9 / (double)(BENCH_TICKS * BENCH_CELLS));
    return 0;
}
