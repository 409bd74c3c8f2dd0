//! Voice notes: downloaded from the fake Graph API, decoded, uploaded as WAV to the fake
//! transcription server, and the transcript driving the dialogue; failures ask the
//! patient to type, once.

use super::fake_graph::FakeGraph;
use super::fake_stt::{FakeStt, Upload};
use super::*;
use bela_server::audio::test_support::{ogg_opus, tone};
use bela_server::channels::whatsapp::replies;
use bela_server::transcription::TranscriptionConfig;
use std::io::Cursor;

const MEDIA_ID: &str = "1908647269898587";

/// A server whose voice notes go to `stt`.
async fn spawn_with_stt(dir: &Path, graph: &FakeGraph, stt: &FakeStt) -> TestApp {
    let settings = Settings {
        whatsapp: config(graph),
        transcription: TranscriptionConfig {
            url: Some(stt.base.clone()),
            api_key: Some("sk-teste".into()),
            model: "whisper-large-v3".into(),
            ..TranscriptionConfig::default()
        },
        ..loopback()
    };
    serve(&settings, dialogue_state(&database_url(dir), None).await).await
}

/// A voice note `wamid` of medium `media_id`, shaped as Meta's.
fn voice_note(wamid: &str, media_id: &str) -> Value {
    json!({"from": PATIENT, "id": wamid, "timestamp": "1764620100", "type": "audio",
           "audio": {"mime_type": "audio/ogg; codecs=opus",
                     "sha256": "wvqXMe6n7n1W0zphvLPoLj+s/NtKqmr3zZ7YzTP7xFI=",
                     "id": media_id, "voice": true}})
}

/// Asserts `upload` is a proper request with a 16 kHz mono 16-bit WAV of `seconds`.
fn assert_wav_upload(upload: &Upload, seconds: f64) {
    assert_eq!(upload.authorization.as_deref(), Some("Bearer sk-teste"));
    assert_eq!(upload.fields["model"], "whisper-large-v3");
    assert_eq!(upload.fields["language"], "pt");
    assert_eq!(upload.fields["response_format"], "json");
    let wav = hound::WavReader::new(Cursor::new(&upload.file)).expect("a WAV file");
    let spec = wav.spec();
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (16_000, 1, 16)
    );
    assert_eq!(wav.duration() as f64, seconds * 16_000.0);
}

#[tokio::test]
async fn a_voice_note_is_transcribed_and_drives_a_booking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let stt = FakeStt::start().await;
    let notes = [
        (MEDIA_ID, 2.0, "Quero agendar um horário amanhã às 15h"),
        ("1908647269898588", 1.0, "quero botox"),
        ("1908647269898589", 1.5, "Meu nome é Ana Lima"),
    ];
    for (media_id, seconds, said) in notes {
        graph.serve_media(media_id, ogg_opus(&tone(seconds, 220.0)));
        stt.say(said);
    }
    let app = spawn_with_stt(dir.path(), &graph, &stt).await;

    // The booking's answer has two paragraphs: two messages.
    let expected: [&[&str]; 3] = [
        &["Qual procedimento você quer agendar?"],
        &["Qual é o seu nome completo?"],
        &[
            "Pronto, Ana Lima! Seu pedido de botox foi registrado.",
            "A equipe confirma o horário em breve.",
        ],
    ];
    let mut answered = 0;
    for (i, (media_id, _, _)) in notes.iter().enumerate() {
        let wamid = format!("wamid.V{i}");
        deliver(&app, &notification(json!([voice_note(&wamid, media_id)]))).await;
        let sent = graph.wait_for(answered + expected[i].len()).await;
        let texts: Vec<&str> = sent[answered..]
            .iter()
            .map(|r| r.body["text"]["body"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(texts, expected[i]);
        answered = sent.len();
    }

    let media = graph.media_requests();
    let expected: Vec<String> = notes
        .iter()
        .flat_map(|(id, _, _)| {
            [
                format!("v21.0/{id}"),
                format!("whatsapp_business/attachments/{id}"),
            ]
        })
        .collect();
    let paths: Vec<String> = media.iter().map(|(path, _)| path.clone()).collect();
    assert_eq!(paths, expected);
    assert!(
        media
            .iter()
            .all(|(_, auth)| auth.as_deref() == Some("Bearer EAAG-teste"))
    );
    let uploads = stt.uploads();
    assert_eq!(uploads.len(), 3);
    for (upload, (_, seconds, _)) in uploads.iter().zip(notes) {
        assert_wav_upload(upload, seconds);
    }

    let users = user_events(&app).await;
    assert_eq!(users.len(), 3);
    assert_eq!(users[0]["text"], "Quero agendar um horário amanhã às 15h");
    assert_eq!(users[0]["message_id"], "wamid.V0");
    assert_eq!(users[0]["parse_data"]["intent"]["name"], "book_appointment");
    assert_eq!(
        users[0]["parse_data"]["metadata"]["audio"],
        json!({"voice": true, "transcribed": true})
    );
    assert_eq!(users[2]["parse_data"]["entities"][0]["value"], "Ana Lima");
    let stored = "SELECT COUNT(*) FROM whatsapp_inbox WHERE wamid = 'wamid.V0' \
                  AND transcript = 'Quero agendar um horário amanhã às 15h' \
                  AND transcription_error IS NULL AND processed_at IS NOT NULL";
    assert_eq!(count(dir.path(), stored).await, 1);
}

#[tokio::test]
async fn a_failed_transcription_asks_the_patient_to_type_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let stt = FakeStt::start().await;
    graph.serve_media(MEDIA_ID, ogg_opus(&tone(1.0, 220.0)));
    stt.fail_next(500);
    let app = spawn_with_stt(dir.path(), &graph, &stt).await;
    let body = notification(json!([voice_note("wamid.F1", MEDIA_ID)]));
    deliver(&app, &body).await;

    let sent = graph.wait_for(1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].body["text"]["body"], replies::VOICE_FAILED);
    // Meta's redelivery is not transcribed again.
    deliver(&app, &body).await;
    assert_eq!(graph.wait_for(1).await.len(), 1);
    assert_eq!(stt.uploads().len(), 1);
    assert!(user_events(&app).await.is_empty(), "no dialogue turn");
    let recorded = "SELECT COUNT(*) FROM whatsapp_inbox WHERE wamid = 'wamid.F1' \
                    AND transcript IS NULL AND transcription_error LIKE '%HTTP 500%' \
                    AND processed_at IS NOT NULL";
    assert_eq!(count(dir.path(), recorded).await, 1);
}

#[tokio::test]
async fn an_undownloadable_or_undecodable_voice_note_asks_the_patient_to_type() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let stt = FakeStt::start().await;
    graph.serve_media("1111", b"this is not an ogg file".to_vec());
    let app = spawn_with_stt(dir.path(), &graph, &stt).await;
    deliver(
        &app,
        // 2222 is unknown to the Graph API (404).
        &notification(json!([
            voice_note("wamid.U1", "1111"),
            voice_note("wamid.U2", "2222")
        ])),
    )
    .await;

    let sent = graph.wait_for(2).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent.iter()
            .all(|r| r.body["text"]["body"] == replies::VOICE_FAILED)
    );
    assert!(stt.uploads().is_empty(), "nothing to transcribe");
    let undecodable = "SELECT COUNT(*) FROM whatsapp_inbox WHERE wamid = 'wamid.U1' \
                       AND transcription_error LIKE 'undecodable audio%'";
    assert_eq!(count(dir.path(), undecodable).await, 1);
    let refused = "SELECT COUNT(*) FROM whatsapp_inbox WHERE wamid = 'wamid.U2' \
                   AND transcription_error LIKE '%HTTP 404%'";
    assert_eq!(count(dir.path(), refused).await, 1);
}
