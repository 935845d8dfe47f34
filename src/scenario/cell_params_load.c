/* cell_params_load.c: placeholder until written. */
extern int scn_placeholder_cell_params;
