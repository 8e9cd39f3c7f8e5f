//! Screenshot tests: the real kiosk binary under Xvfb with Mesa's software Vulkan (lavapipe),
//! the synthetic camera, and pixel assertions on what a shopper would see.
//!
//! Needs `xvfb-run` and `mesa-vulkan-drivers` (the README's test command installs them). Set
//! `KIOSK_SCREENSHOT_OUT=docs/screens` to keep the screenshots (the README's are made that way).

mod support;

use std::time::Duration;

use support::*;

#[test]
fn attract_active_camera_lost_and_recovered() {
    let dir = out_dir("lifecycle");
    let shot = |name: &str| dir.join(format!("{name}.png"));
    let at = |secs: f32, action: String| format!("--at={secs}:{action}");
    run_kiosk(
        &[
            // The synthetic camera unplugs 13 s after start and comes back 7 s later.
            "--set=camera.faults.disconnect_after_s=13.0".into(),
            "--set=camera.faults.disconnect_for_s=7.0".into(),
            at(7.0, format!("screenshot={}", shot("attract").display())),
            at(8.0, "touch".into()),
            at(11.0, format!("screenshot={}", shot("active").display())),
            at(17.0, format!("screenshot={}", shot("camera-unavailable").display())),
            at(24.0, format!("screenshot={}", shot("camera-recovered").display())),
            at(25.0, "exit".into()),
        ],
        Duration::from_secs(150),
    );

    let attract = load(&shot("attract"));
    let active = load(&shot("active"));
    let unavailable = load(&shot("camera-unavailable"));
    let recovered = load(&shot("camera-recovered"));

    // Mirrored: the mark the camera sees on its left appears on the right of the screen.
    let (count, x) = mark(&active);
    assert!(count > 2_000, "active: the scene's mark must be visible ({count} px)");
    assert!(x > WIDTH as f32 * 0.6, "active: mirrored mark must be on the right, centroid x = {x}");
    assert_fills_screen(&active, "active");

    // Attract differs from active: dimmed mirror with the prompt over it.
    assert!(mean_abs_difference(&attract, &active) > 15.0, "attract and active screens must differ");
    assert!(mean_luma(&attract) < mean_luma(&active), "the attract screen dims the mirror");
    assert!(fraction_near(&attract, UNAVAILABLE_RGB) < 0.05);

    // Camera lost: the unavailable screen covers the mirror; no camera pixels show.
    assert!(fraction_near(&unavailable, UNAVAILABLE_RGB) > 0.6, "camera-unavailable screen must cover the mirror");
    assert!(mark(&unavailable).0 < 50, "no camera picture while the camera is unavailable");

    // Camera back: the screen went away by itself and the mirror is live again.
    assert!(fraction_near(&recovered, UNAVAILABLE_RGB) < 0.05, "camera-unavailable screen must go away");
    let (count, x) = mark(&recovered);
    assert!(count > 2_000 && x > WIDTH as f32 * 0.6, "recovered: mirrored mark back ({count} px at x = {x})");
    assert_fills_screen(&recovered, "recovered");
}

#[test]
fn mirroring_off_shows_the_mark_where_the_camera_sees_it() {
    let dir = out_dir("unmirrored");
    let shot = dir.join("active-unmirrored.png");
    run_kiosk(
        &[
            "--set=camera.mirror=false".into(),
            "--at=4:touch".into(),
            format!("--at=7:screenshot={}", shot.display()),
            "--at=8:exit".into(),
        ],
        Duration::from_secs(120),
    );
    let image = load(&shot);
    let (count, x) = mark(&image);
    assert!(count > 2_000 && x < WIDTH as f32 * 0.4, "unmirrored mark must be on the left ({count} px at x = {x})");
    assert_fills_screen(&image, "unmirrored");
}

#[test]
fn a_scripted_press_on_a_button_that_never_shows_fails_the_run() {
    let (status, log) = run_kiosk_status(
        &[
            "--wait-limit=2".into(),
            "--at=1:touch".into(),
            // The toolbar's Share button exists, so the script gets as far as the missing one.
            "--at=+0:press=Share".into(),
            "--at=+0:press=No such button".into(),
            "--at=+0:exit".into(),
        ],
        Duration::from_secs(120),
    );
    assert_eq!(status.code(), Some(3), "a missing button must fail the run; log:\n{}", tail(&log));
    assert!(log.contains("automation: pressed \"Share\""), "{}", tail(&log));
    assert!(log.contains("gave up on Press(\"No such button\") after 2s"), "{}", tail(&log));
}
