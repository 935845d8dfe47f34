/* bench_dcbus: ns per dcbus_solve (a benchmark, not a test) for 1 pack with
 * an inverter, and for 1 and 4 packs with an idle inverter (standby draw) and a charger,
 * the EMFs moving every call as they do when the simulator steps.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gtx/dcbus.h"

#define CALLS 2000000L

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double run(int n_packs, int n_ports)
{
    struct dcbus_input in;
    memset(&in, 0, sizeof in);
    in.n_packs = n_packs;
    for (int k = 0; k < n_packs; k++) {
        dcbus_pack_default(&in.pack[k], 52.0 + 0.1 * k, 0.01);
        in.pack[k].cable_ohm = 0.002;
    }
    in.n_ports = n_ports;
    in.port[0] = (struct dcbus_port){.on = true, .current_a = n_ports == 1 ? -25.0 : 0.0,
                                     .v_min_v = 45.6, .v_max_v = 55.7,
                                     .power_w = n_ports == 1 ? 0.0 : 15.0};
    in.port[1] = (struct dcbus_port){.on = true, .current_a = 10.0, .v_max_v = 54.0,
                                     .v_min_v = 44.0, .power_w = 15.0};
    struct dcbus_result r;
    double sink = 0.0;
    double t0 = now_s();
    for (long i = 0; i < CALLS; i++) {
        in.pack[0].emf_v = 52.0 + (double)(i & 1023) * 1e-4;
        dcbus_solve(&in, &r);
        in.v_hint_v = r.bus_v; /* as the simulator would pass the last step's */
        sink += r.bus_v;
    }
    double ns = (now_s() - t0) / CALLS * 1e9;
    if (sink == 0.0)
        printf("?\n");
    return ns;
}

int main(void)
{
    printf("dcbus_solve 1 pack + inverter discharging: %.1f ns\n", run(1, 1));
    printf("dcbus_solve 1 pack + idle inverter (standby) + charger: %.1f ns\n", run(1, 2));
    printf("dcbus_solve 4 packs + idle inverter (standby) + charger: %.1f ns\n", run(4, 2));
    return 0;
}
