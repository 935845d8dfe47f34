/* bench_pack: wall-clock cost of pack_step at 10 ms steps (ns per pack-step and
 * per cell-step), alone and with what the simulator adds each tick (Thevenin
 * view for the DC bus, a sensor sample). A benchmark, not a test: it prints. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gtx/pack.h"
#include "pack_drive.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs n steps of 10 ms, current changing every 1000 steps (10 s). */
static double run(struct pack *p, long n, int with_sim)
{
    struct pack_thevenin th;
    struct sensors_sample o;
    double sink = 0.0;
    double t0 = now_s();
    for (long k = 0; k < n; k++) {
        double i = (k / 1000) % 2 ? -25.0 : -20.0;
        if (with_sim) {
            pack_thevenin(p, &th);
            sink += th.emf_v;
        }
        pack_step(p, i, 0.01, 25.0);
        if (with_sim) {
            pack_sample(p, &o);
            sink += o.cell_mV[0];
        }
    }
    double dt = now_s() - t0;
    if (sink == 12345.678) {
        printf("-");
    }
    return dt;
}

int main(int argc, char **argv)
{
    static struct cell_params cp;
    if (drive_load_lfp50(argc > 1 ? argv[1] : ".", &cp) != 0) {
        return EXIT_FAILURE;
    }
    static struct pack p;
    struct pack_config cfg;
    pack_config_default(&cfg, &cp);
    cfg.soc_pct = 90.0;
    pack_init(&p, &cfg);
    /* Best of several runs of 2000 s simulated each: the machine may be busy. */
    const long n = 200000;
    const int reps = 7;
    double t_plain = 1e9, t_sim = 1e9;
    run(&p, n / 10, 0);       /* warm up */
    for (int r = 0; r < reps; r++) {
        pack_init(&p, &cfg);
        double t = run(&p, n, 0);
        t_plain = t < t_plain ? t : t_plain;
        pack_init(&p, &cfg);
        t = run(&p, n, 1);
        t_sim = t < t_sim ? t : t_sim;
    }
    double ns_pack = 1e9 * t_plain / (double)n;
    double ns_sim = 1e9 * t_sim / (double)n;
    printf("pack_step (10 ms steps): %.1f ns per pack-step, %.1f ns per cell-step, "
           "%.0fx real time\n", ns_pack, ns_pack / PACK_CELLS, 0.01 / (t_plain / (double)n));
    printf("with Thevenin view and sensor sample each step: %.1f ns per pack-step, "
           "%.0fx real time\n", ns_sim, 0.01 / (t_sim / (double)n));
    return 0;
}
