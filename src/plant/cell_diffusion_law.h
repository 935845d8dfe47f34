/* cell_diffusion_law.h: the constants of the surface gap's law (solid
 * diffusion and the stranded share), private to the plant: cell.c steps by
 * them, tests/cell checks the one derived from others (strand_min_x).
 */
#ifndef GTX_CELL_DIFFUSION_LAW_H
#define GTX_CELL_DIFFUSION_LAW_H

/* Solid diffusion in a spherical particle, reduced to one state (the
 * polynomial approximation of Subramanian et al. 2005): at a steady rate the
 * surface SOC differs from the mean by tau_d/15·dz/dt (c_s - c_avg = Rp·j/(5D)
 * with dc_avg/dt = 3j/Rp), and it approaches that gap with the time constant
 * of the slow mode, tau_d/30. tau_d = Rp²/D. The steady gap saturates
 * (x/sqrt(1 + (x/g_max)²)): LFP's two-phase particles hold their surface at
 * the phase boundary's composition, so in the comfortable range the gap stays
 * within gap_max_soc; what cannot follow is the lithium in the cores of the
 * particles too large for the discharge, a share of the capacity that grows as
 * D falls. g_max = gap_max_soc + (1 - gap_max_soc)·(that share): with
 * log-normal particle sizes (ln r² normal with strand_width), the share of the
 * capacity in particles whose own unbounded gap (r²/Rp²)·x exceeds strand_x
 * is Φ(ln(x/strand_x)/strand_width). The gap opens with the lag tau_d/30 and
 * closes (the cells warm, the current falls, rest) with it too, but while it
 * is wider than gap_max_soc with the slower tau_d/relax_div: stranded lithium
 * comes back at the pace of the large particles. docs/physics.md "The
 * stranded share" gives the figures. */
static const struct cell_diffusion_law {
    double steady_div;   /* gap = tau_d/steady_div · dz/dt */
    double lag_div;      /* opening: tau_gap = tau_d/lag_div */
    double relax_div;    /* closing beyond gap_max_soc: tau_gap = tau_d/relax_div */
    double gap_max_soc;  /* the steady gap's bound with no particle stranded */
    double strand_x;     /* a particle is stranded past this unbounded steady gap */
    double strand_width; /* standard deviation of ln r² over the capacity */
    double strand_min_x; /* below this |x| the stranded share is < 1e-15 and not
                          * computed: strand_x·exp(-8·strand_width), rounded down
                          * (test_cell.c's strand_min_x_follows_its_law checks it) */
} diffusion_law = {15.0, 30.0, 10.0, 0.08, 4.5, 0.5, 0.0824};

#endif
