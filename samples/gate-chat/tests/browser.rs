//! The chat page (`web/chat.html`, served by the gate at `GET /`) in two
//! headless Chromium browsers: each registers, logs in, joins a room, and
//! sees what the other says. A screenshot of one page is kept as
//! `target/tmp/chat-page.png`. Skipped, saying so, where Chromium or
//! ChromeDriver cannot be installed.

use std::path::PathBuf;
use std::time::Duration;

use gs_testkit::{Browser, ChromeDriver};
use gsgate::{Gate, GateConfig};

const T: Duration = Duration::from_secs(15);

fn texts(b: &Browser) -> Vec<String> {
    let v =
        b.eval("return [...document.querySelectorAll('#messages .text')].map(e => e.textContent)");
    serde_json::from_value(v).unwrap()
}

fn sees(b: &Browser, text: &str) -> bool {
    let script = format!(
        "return [...document.querySelectorAll('#messages .text')].some(e => e.textContent === {})",
        serde_json::Value::from(text)
    );
    b.wait_for(&script, T)
}

fn sign_in(b: &Browser, url: &str, user: &str) {
    b.goto(url);
    assert!(
        b.wait_for("return document.body.dataset.state === 'connected'", T),
        "connected"
    );
    b.fill("#user", user);
    b.fill("#password", "secret");
    b.click("#register");
    assert!(
        b.wait_for(
            "return document.getElementById('status').textContent.startsWith('registered')",
            T
        ),
        "registered: {}",
        b.eval("return document.getElementById('error').textContent")
    );
    b.click("#login");
    assert!(
        b.wait_for(
            &format!("return document.body.dataset.user === '{user}'"),
            T
        ),
        "logged in"
    );
    b.fill("#room", "lobby");
    b.click("#join");
    assert!(
        b.wait_for("return document.body.dataset.room === 'lobby'", T),
        "joined"
    );
}

fn say(b: &Browser, text: &str) {
    b.fill("#text", text);
    b.click("#say");
}

#[test]
fn two_browsers_chat_through_the_page() {
    let Some(driver) = ChromeDriver::start() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = std::env::temp_dir().join(format!("gate-chat-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("chat.db").to_string_lossy().into_owned();
    let (server, gate, ws) = rt.block_on(async {
        let server = gate_chat::serve(gate_chat::ServerOptions::new("127.0.0.1:0", db))
            .await
            .unwrap();
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut config = GateConfig::new("gate");
        config.page = Some(
            std::fs::read(manifest.join("web/chat.html"))
                .unwrap()
                .into(),
        );
        let gate = Gate::start_with_schema_file(
            config,
            &manifest.join("chat.gs"),
            &[],
            &[server.addr.to_string()],
        )
        .unwrap();
        let ws = gate.listen_ws("127.0.0.1:0").await.unwrap();
        assert!(gate.backend_ready("chat.Room", T).await);
        (server, gate, ws)
    });
    let url = format!("http://{ws}/");

    let alice = driver.open();
    let bob = driver.open();
    sign_in(&alice, &url, "alice");
    sign_in(&bob, &url, "bob");
    say(&alice, "hello from alice");
    assert!(
        sees(&bob, "hello from alice"),
        "bob sees alice: {:?}",
        texts(&bob)
    );
    assert!(sees(&alice, "hello from alice"));
    say(&bob, "hi alice, bob here");
    assert!(
        sees(&alice, "hi alice, bob here"),
        "alice sees bob: {:?}",
        texts(&alice)
    );
    // A page that joins later gets the history.
    let carol = driver.open();
    sign_in(&carol, &url, "carol");
    assert_eq!(texts(&carol), ["hello from alice", "hi alice, bob here"]);
    // An error is shown, not thrown away: a second account named bob.
    carol.fill("#user", "bob");
    carol.click("#register");
    assert!(carol.wait_for(
        "return document.getElementById('error').textContent.endsWith('UserExists')",
        T
    ));

    let png = alice.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chat-page.png");
    std::fs::write(&shot, png).unwrap();
    eprintln!("screenshot: {}", shot.display());

    drop((alice, bob, carol));
    rt.block_on(async {
        gate.shutdown(Duration::from_secs(1)).await;
        server.shutdown(Duration::from_secs(1)).await;
    });
    let _ = std::fs::remove_dir_all(dir);
}
