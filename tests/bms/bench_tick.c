/* bench_tick.c: the host cost of one bms_tick (a running pack, charging, CAN every
 * second, LCD and console serviced), in ns per tick. A benchmark, not a test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include "rig.h"

static struct rig R;

int main(void)
{
    struct timespec a, b;
    const unsigned n = 2000000;
    rig_running(&R, 0, 5000);
    R.fb.current_mA = 10000;
    for (int i = 0; i < 16; i++)
        R.fb.afe.cell_mV[i] = (uint16_t)(3400 + 3 * i); /* balancing active */
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (unsigned i = 0; i < n; i++)
        rig_tick(&R);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    printf("bms_tick: %.1f ns per tick (%u ticks, state %s)\n", ns / n, n,
           bms_state_name(bms_status(&R.bms)->state));
    return 0;
}
