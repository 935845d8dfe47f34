/* test_train: trainer mode in an offscreen window (docs/training.md). On the
 * can-cable-unplugged exercise: the brief comes first and the fault menu's key
 * does nothing; synthetic clicks start, reveal a hint, plug the CAN cable and
 * press done at 120 s; the window scores the attempt 88 (100 - 2 for 2 of 20
 * minutes - 10 for the hint) and draws the score screen; the saved attempt
 * replays headlessly (`gtxsim train --replay`) to the same score. Doing nothing
 * until the time limit fails. The three screens are saved as PNGs for the docs.
 */
#include <SDL.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/sim_view.h"
#include "gtx/ui.h"
#include "ui_window.h"

static struct ui *open_trainer(const char *exercise, const char *out)
{
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/../../scenarios/training/%s.json", uiw_env("UI_TESTS"),
             exercise);
    struct ui_opts o = {.scenario = path, .headless = true, .train = "", .train_out = out,
                        .trainee = "window-test"};
    struct ui *ui = ui_create(&o, err, sizeof err);
    ck_assert_msg(ui != NULL, "%s", err);
    return ui;
}

static void click_item(struct ui *ui, enum ui_train_item item)
{
    struct ui_rect r;
    ck_assert_msg(ui_train_rect(ui, item, &r), "trainer item %d was not drawn", (int)item);
    int x, y;
    ui_rect_centre(&r, &x, &y);
    uiw_mouse(SDL_MOUSEBUTTONDOWN, x, y);
    uiw_mouse(SDL_MOUSEBUTTONUP, x, y);
    ui_frame_sim(ui, 0.0);
}

static void key(SDL_Keycode k)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    ck_assert_int_eq(SDL_PushEvent(&e), 1);
}

static void shot(struct ui *ui, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", uiw_env("UI_OUT"), name);
    ck_assert_int_eq(ui_save_png(ui, path), 0);
}

/* The sum of the channels over a rectangle: what a region looks like, in one number. */
static long region_sum(struct ui *ui, struct ui_rect r)
{
    long sum = 0;
    uint8_t rgb[3];
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            if (ui_pixel(ui, x, y, rgb))
                sum += rgb[0] + rgb[1] + rgb[2];
    return sum;
}

START_TEST(test_trainer_solves_exercise)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/train-can-attempt.json", uiw_env("UI_OUT"));
    remove(out);
    struct ui *ui = open_trainer("can-cable-unplugged", out);
    ui_frame_sim(ui, 0.0);
    shot(ui, "train-brief.png");
    /* The brief is up, the clock stands still until the trainee starts. */
    struct ui_rect r;
    ck_assert(ui_train_rect(ui, UI_TRAIN_ITEM_START, &r));
    ck_assert_uint_eq(sim_view_now_ms(ui_sim(ui)), 0);
    click_item(ui, UI_TRAIN_ITEM_START);
    key(SDLK_f); /* the fault menu is hidden in trainer mode */
    ui_frame_sim(ui, 0.0);
    ck_assert_msg(!ui_faults_shown(ui), "F opened the fault menu in trainer mode");
    ui_frame_sim(ui, 60.0);
    click_item(ui, UI_TRAIN_ITEM_HINT);
    shot(ui, "train-hint.png");
    /* The CAN port of the master: the window's own control, recorded. */
    int x, y;
    uiw_item_centre(1, 0, UI_PI_CAN, &x, &y);
    uiw_mouse(SDL_MOUSEBUTTONDOWN, x, y);
    uiw_mouse(SDL_MOUSEBUTTONUP, x, y);
    ui_frame_sim(ui, 0.0);
    ck_assert_msg(sim_view_can_connected(ui_sim(ui)), "the click did not plug the CAN cable");
    ck_assert_int_eq(ui_train_actions(ui), 1);
    ui_frame_sim(ui, 60.0);
    struct ui_rect done;
    ck_assert(ui_train_rect(ui, UI_TRAIN_ITEM_DONE, &done));
    long before = region_sum(ui, done);
    click_item(ui, UI_TRAIN_ITEM_DONE);
    bool passed = false;
    double score = -1;
    ck_assert_msg(ui_train_result(ui, &passed, &score), "done did not score the attempt");
    ck_assert_msg(passed, "plugging the CAN cable back did not pass");
    ck_assert_msg(score > 87.99 && score < 88.01, "score %.3f, wanted 88", score);
    shot(ui, "train-score.png");
    ck_assert_msg(region_sum(ui, done) < before, "the score screen did not veil the trainer panel");
    ck_assert_msg(ui_train_rect(ui, UI_TRAIN_ITEM_QUIT, &r), "no score screen");
    ui_destroy(ui);

    /* The saved attempt replays headlessly to the same score. */
    char cmd[3200], line[256] = "";
    snprintf(cmd, sizeof cmd, "'%s' train '%s/../../scenarios/training/can-cable-unplugged.json'"
             " --replay '%s'", uiw_env("GTXSIM"), uiw_env("UI_TESTS"), out);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    int rc = pclose(p);
    ck_assert_str_eq(line, "can-cable-unplugged: PASS, score 88/100\n");
    ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_trainer_time_limit_fails)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/train-none-attempt.json", uiw_env("UI_OUT"));
    struct ui *ui = open_trainer("can-cable-unplugged", out);
    ui_frame_sim(ui, 0.0);
    click_item(ui, UI_TRAIN_ITEM_START);
    for (int i = 0; i < 21; i++) /* past the 20 minute limit */
        ui_frame_sim(ui, 60.0);
    bool passed = true;
    double score = -1;
    ck_assert_msg(ui_train_result(ui, &passed, &score), "the time limit did not end the attempt");
    ck_assert(!passed);
    ck_assert_msg(score == 0.0, "score %.3f for doing nothing", score);
    ck_assert_int_eq(ui_train_actions(ui), 0);
    ui_destroy(ui);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("train", test_trainer_solves_exercise),
    GTX_TEST(test_trainer_time_limit_fails),
};

int main(void)
{
    return gtx_check_main("ui_train", tests, GTX_COUNT(tests), 600, NULL, true);
}
