//! Leads over HTTP: contacts become leads as they write (REST webhook and
//! `/conversations/{id}/...`), segments by tag, stage and last contact, the staff's stage
//! change, and the API's 400 / 404 / 401 answers, on SQLite.

use crate::dialogue_app::{dialogue_state, spawn_sqlite_app};
use crate::helpers::{TestApp, loopback, serve};
use bela_server::Settings;
use serde_json::{Value, json};

const DAY: f64 = 86_400.0;

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The senders of a `GET /leads?...` answer.
async fn segment(app: &TestApp, query: &str) -> Vec<String> {
    let (status, body) = app.get(&format!("/leads?{query}")).await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .expect("a list of leads")
        .iter()
        .map(|l| l["sender"].as_str().expect("sender").to_owned())
        .collect()
}

/// `PUT /leads/{sender}/stage` with `stage`.
async fn put_stage(app: &TestApp, sender: &str, stage: &str) -> (u16, Value) {
    app.call(
        reqwest::Method::PUT,
        &format!("/leads/{sender}/stage"),
        Some(json!({"stage": stage})),
    )
    .await
}

/// Sends `message` with `metadata` over the REST webhook as `sender`.
async fn say(app: &TestApp, sender: &str, message: &str, metadata: Value) {
    let (status, body) = app
        .post(
            "/webhooks/rest/webhook",
            json!({"sender": sender, "message": message, "metadata": metadata}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn contacts_become_leads_as_they_write_and_segment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = spawn_sqlite_app(dir.path()).await;

    let profile = json!({"wa_id": "5511999990000", "name": "Ana Lima"});
    say(&app, "5511999990000", "oi", profile).await;
    let (status, lead) = app.get("/leads/5511999990000").await;
    assert_eq!(status, 200, "{lead}");
    assert_eq!(lead["stage"], "new");
    assert_eq!(lead["phone"], "5511999990000");
    assert_eq!(lead["name"], "Ana Lima");
    assert_eq!(lead["source"], "rest");
    assert_eq!(lead["tags"], json!([]));
    assert_eq!(lead["first_contact"], lead["last_contact"]);

    say(
        &app,
        "5511999990000",
        r#"/book_appointment{"procedure": "botox"}"#,
        json!({}),
    )
    .await;
    let (_, lead) = app.get("/leads/5511999990000").await;
    assert_eq!(lead["stage"], "engaged");
    assert_eq!(lead["tags"], json!(["botox"]));
    assert_eq!(
        lead["name"], "Ana Lima",
        "a message without a profile keeps it"
    );
    assert!(lead["last_contact"].as_f64() > lead["first_contact"].as_f64());

    // A message recorded through the tracker API counts too; this one is 40 days old.
    let long_ago = now() - 40.0 * DAY;
    let old_message = json!({
        "event": "user", "timestamp": long_ago, "text": "quero botox",
        "parse_data": {
            "intent": {"name": "book_appointment", "confidence": 1.0},
            "entities": [{"entity": "procedure", "value": "botox", "start": 6, "end": 11}],
        },
    });
    let (status, body) = app
        .post("/conversations/quiet/tracker/events", old_message)
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post(
            "/conversations/hello/messages",
            json!({"text": "oi", "sender": "user"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    assert_eq!(
        segment(&app, "tag=botox").await,
        ["5511999990000", "quiet"],
        "the most recent contact first"
    );
    assert_eq!(segment(&app, "tag=botox&inactive_days=30").await, ["quiet"]);
    assert_eq!(segment(&app, "stage=engaged").await, ["5511999990000"]);
    assert_eq!(segment(&app, "stage=new&tag=botox").await, ["quiet"]);
    assert_eq!(
        segment(&app, "inactive_days=30&stage=engaged").await.len(),
        0
    );
    assert_eq!(segment(&app, "").await.len(), 3);
    assert_eq!(segment(&app, "limit=1").await.len(), 1);

    // Staff set any stage; a new message reactivates an inactive lead.
    let (status, lead) = put_stage(&app, "quiet", "inactive").await;
    assert_eq!((status, &lead["stage"]), (200, &json!("inactive")));
    assert_eq!(segment(&app, "stage=inactive").await, ["quiet"]);
    say(&app, "quiet", "oi", json!({})).await;
    let (_, lead) = app.get("/leads/quiet").await;
    assert_eq!(lead["stage"], "engaged");
}

#[tokio::test]
async fn bad_parameters_are_400_and_unknown_leads_404_in_rasas_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = spawn_sqlite_app(dir.path()).await;
    for query in [
        "stage=hot",
        "inactive_days=-1",
        "inactive_days=soon",
        "limit=0",
        "limit=10001",
        "tag=",
    ] {
        let (status, body) = app.get(&format!("/leads?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["status"], "failure", "{query}: {body}");
        assert_eq!(body["code"], 400, "{query}: {body}");
    }
    let (status, body) = app.get("/leads?stage=hot").await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("engaged")),
        "{body}"
    );

    let (status, body) = app.get("/leads/nobody").await;
    assert_eq!((status, &body["code"]), (404, &json!(404)), "{body}");
    assert_eq!(put_stage(&app, "nobody", "attended").await.0, 404);
    assert_eq!(put_stage(&app, "nobody", "hot").await.0, 400);
}

#[tokio::test]
async fn leads_need_the_api_token() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let settings = Settings {
        auth_token: Some("s3cret".into()),
        ..loopback()
    };
    let app = serve(&settings, dialogue_state(&url, None).await).await;
    let (status, body) = app.get("/leads").await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = app.get("/leads?token=s3cret").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_contact_who_asked_for_erasure_leaves_no_conversation_or_lead() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = spawn_sqlite_app(dir.path()).await;
    let profile = json!({"wa_id": "5511999990099", "name": "Ana Lima"});
    say(&app, "5511999990099", "oi", profile.clone()).await;
    say(&app, "5511999990098", "oi", profile).await;
    assert_eq!(app.get("/leads/5511999990099").await.0, 200);
    // As after the patient confirmed "apaguem meus dados".
    let (status, body) = app
        .post(
            "/conversations/5511999990099/tracker/events",
            json!([{"event": "action", "timestamp": now(), "name": "action_delete_my_data"}]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, tracker) = app.get("/conversations/5511999990099/tracker").await;
    assert_eq!(status, 200, "{tracker}");
    // What is left is a fresh session, as for any unknown sender: no message of theirs.
    let events = tracker["events"].as_array().cloned().unwrap_or_default();
    assert!(
        events
            .iter()
            .all(|e| e["event"] != "user" && e["name"] != "action_delete_my_data"),
        "{tracker}"
    );
    assert_eq!(app.get("/leads/5511999990099").await.0, 404);
    assert_eq!(app.get("/leads/5511999990098").await.0, 200, "others stay");
}

#[tokio::test]
async fn staff_see_the_calendar_and_mark_an_appointment_attended() {
    use bela_clinic::calendar::conformance::appointment;
    use bela_clinic::calendar::{Calendar, Capacity};
    let dir = tempfile::tempdir().expect("temp dir");
    let app = spawn_sqlite_app(dir.path()).await;
    say(
        &app,
        "5511999990077",
        "oi",
        json!({"wa_id": "5511999990077"}),
    )
    .await;
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let calendar = bela_server::calendar::SqlCalendar::connect(&url)
        .await
        .expect("calendar");
    let capacity = Capacity {
        rooms: 3,
        buffer_minutes: 0,
    };
    let booked = calendar
        .book(
            appointment("5511999990077", "2031-05-06T10:00", "2031-05-06T10:30"),
            capacity,
        )
        .await
        .expect("books");

    let (status, list) = app
        .get("/appointments?from=2031-05-06T00:00:00-03:00&to=2031-05-07T00:00:00-03:00")
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["id"], booked.id.as_str());
    assert_eq!(list[0]["status"], "booked");
    assert_eq!(list[0]["start"], "2031-05-06T13:00:00Z");

    let path = format!("/appointments/{}/status", booked.id.as_str());
    let put = |body: Value| app.call(reqwest::Method::PUT, &path, Some(body));
    let (status, updated) = put(json!({"status": "attended"})).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["status"], "attended");
    let (_, lead) = app.get("/leads/5511999990077").await;
    assert_eq!(lead["stage"], "attended", "{lead}");

    let (status, body) = put(json!({"status": "done"})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = app
        .call(
            reqwest::Method::PUT,
            "/appointments/999999/status",
            Some(json!({"status": "attended"})),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = app.get("/appointments?from=yesterday").await;
    assert_eq!(status, 400, "{body}");
}
