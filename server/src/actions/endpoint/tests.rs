use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "ACTION_TOKEN" => Some("t0k3n".to_owned()),
        "ACTIONS_HOST" => Some("actions".to_owned()),
        _ => None,
    }
}

fn parse(text: &str) -> Result<Option<ActionEndpoint>, EndpointError> {
    ActionEndpoint::parse(text, Path::new("endpoints.yml"), &env)
}

/// The error's `line:column` and message.
fn located(text: &str) -> (usize, usize, String) {
    match parse(text) {
        Err(EndpointError::Invalid(d)) => (d.location.line, d.location.column, d.message),
        other => panic!("expected a located error, got {other:?}"),
    }
}

#[test]
fn reads_a_full_action_endpoint() {
    let text = r#"
tracker_store:
  type: SQL
action_endpoint:
  url: "http://${ACTIONS_HOST}:5055/webhook"
  token: ${ACTION_TOKEN}
  token_name: auth
  headers: {X-Clinic: centro}
  params: {tenant: 7}
  basic_auth: {username: bela, password: segredo}
  timeout: 2.5
  cafile: ignored.pem
"#;
    let endpoint = parse(text).expect("valid").expect("configured");
    assert_eq!(endpoint.url.as_str(), "http://actions:5055/webhook");
    assert_eq!(endpoint.token.as_deref(), Some("t0k3n"));
    assert_eq!(endpoint.token_name, "auth");
    assert_eq!(
        endpoint.headers,
        vec![("X-Clinic".to_owned(), "centro".to_owned())]
    );
    assert_eq!(endpoint.params, vec![("tenant".to_owned(), "7".to_owned())]);
    assert_eq!(
        endpoint.basic_auth,
        Some(("bela".to_owned(), "segredo".to_owned()))
    );
    assert_eq!(endpoint.timeout, Duration::from_millis(2500));
}

#[test]
fn defaults_follow_rasa() {
    let endpoint = parse("action_endpoint:\n  url: http://localhost:5055/webhook\n")
        .expect("valid")
        .expect("configured");
    assert_eq!(endpoint, ActionEndpoint::new(endpoint.url.clone()));
    assert_eq!(endpoint.token_name, "token");
    assert_eq!(endpoint.timeout, DEFAULT_ACTION_TIMEOUT);
}

#[test]
fn no_section_means_no_endpoint() {
    assert_eq!(parse("").expect("valid"), None);
    assert_eq!(parse("# nothing\n").expect("valid"), None);
    assert_eq!(parse("action_endpoint:\n").expect("valid"), None);
    assert_eq!(parse("tracker_store: {type: SQL}\n").expect("valid"), None);
}

#[test]
fn bad_values_are_located() {
    // (file, line, column, what the message says)
    let cases = [
        ("action_endpoint:\n  token: x\n", 1, 1, "needs a `url`"),
        (
            "action_endpoint:\n  url: localhost:5055\n",
            2,
            8,
            "unsupported URL scheme",
        ),
        (
            "action_endpoint:\n  url: https://a.example/\n",
            2,
            8,
            "no TLS",
        ),
        (
            "action_endpoint:\n  url: http://a/\n  token: ${NOPE}\n",
            3,
            10,
            "NOPE",
        ),
        (
            "action_endpoint:\n  url: http://a/\n  timeout: -1\n",
            3,
            12,
            "positive number",
        ),
        (
            "action_endpoint:\n  url: http://a/\n  headers: [a]\n",
            3,
            12,
            "`headers` must be a mapping",
        ),
        (
            "action_endpoint: [url]\n",
            1,
            18,
            "`action_endpoint` must be a mapping",
        ),
        (
            "action_endpoint:\n  url: [http://a/]\n",
            2,
            8,
            "`url` must be a string",
        ),
        (
            "action_endpoint:\n  url: http://a/\n  basic_auth: {username: u}\n",
            3,
            15,
            "needs a `password`",
        ),
    ];
    for (text, line, column, expected) in cases {
        let (l, c, message) = located(text);
        assert_eq!((l, c), (line, column), "{text:?}: {message}");
        assert!(message.contains(expected), "{text:?}: {message}");
    }
}

#[test]
fn a_syntax_error_is_located() {
    let (line, _, message) = located("action_endpoint:\n  url: [http://a/\n  token: x\n");
    assert!(line >= 2, "{line}");
    assert!(message.starts_with("invalid YAML"), "{message}");
}

#[test]
fn the_environment_overrides_the_url_and_timeout() {
    let overrides = Overrides::parse(Some("http://b:5055/webhook"), Some("0.5")).expect("valid");
    // The file's url names a variable that is not set: the override makes it moot.
    let text = "action_endpoint:\n  url: ${UNSET_URL}\n  token: ${ACTION_TOKEN}\n";
    let from_file = read(
        text,
        Path::new("endpoints.yml"),
        &env,
        overrides.url.as_ref(),
    )
    .expect("valid");
    let endpoint = overrides.apply(from_file).expect("configured");
    assert_eq!(endpoint.url.as_str(), "http://b:5055/webhook");
    assert_eq!(
        endpoint.token.as_deref(),
        Some("t0k3n"),
        "the rest comes from the file"
    );
    assert_eq!(endpoint.timeout, Duration::from_millis(500));

    let only_env = Overrides::parse(Some("http://b/webhook"), None).expect("valid");
    assert_eq!(
        only_env.apply(None).map(|e| e.url.to_string()),
        Some("http://b/webhook".to_owned())
    );
    let timeout_only = Overrides::parse(None, Some("3")).expect("valid");
    assert_eq!(timeout_only.apply(None), None);
    let empty = Overrides::parse(Some(""), Some("")).expect("valid");
    assert_eq!(empty.apply(None), None);

    let err = Overrides::parse(Some("not a url"), None).expect_err("invalid");
    assert!(
        err.to_string()
            .starts_with("BELA_ACTION_ENDPOINT=not a url:"),
        "{err}"
    );
    let err = Overrides::parse(None, Some("soon")).expect_err("invalid");
    assert!(
        err.to_string().starts_with("BELA_ACTION_TIMEOUT=soon:"),
        "{err}"
    );
}

#[test]
fn from_project_reads_endpoints_yml() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("endpoints.yml"),
        "action_endpoint:\n  url: [\n",
    )
    .expect("write");
    let err = ActionEndpoint::from_project(dir.path()).expect_err("invalid");
    let text = err.to_string();
    assert!(text.contains("endpoints.yml:"), "{text}");
}
