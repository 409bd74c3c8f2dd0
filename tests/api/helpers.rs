use bela_engine::nlu::model::NluModel;
use bela_engine::project::{Project, TrainOutcome};
use bela_server::{AppState, Application, Settings};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A running server and a client for it; dropping it stops the server.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The server's scheduled jobs (a dialogue model loaded), to run them by hand.
    pub scheduler: Option<std::sync::Arc<bela_server::jobs::Scheduler>>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Copies `src` into `dst` recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let target = dst.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy fixture");
        }
    }
}

/// Trains the fixture project once per test binary, in a temporary copy.
pub fn trained_model_dir() -> &'static PathBuf {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
        copy_dir(&fixture, tmp.path());
        let project = Project::open(tmp.path()).expect("project");
        let dir = match project.train(false, &mut |_| {}).expect("training") {
            TrainOutcome::Trained { dir, .. } => dir,
            TrainOutcome::UpToDate { dir } => dir,
        };
        (tmp, dir)
    })
    .1
}

/// Spawns the server on a free loopback port.
pub async fn spawn_app(auth_token: Option<&str>) -> TestApp {
    spawn_app_with(Settings {
        auth_token: auth_token.map(str::to_owned),
        ..Settings::default()
    })
    .await
}

/// Spawns the server with `settings` (its host and port are replaced by a free loopback
/// port).
pub async fn spawn_app_with(settings: Settings) -> TestApp {
    let dir = trained_model_dir().clone();
    let model = NluModel::load(&dir).expect("load model");
    let settings = Settings {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        ..settings
    };
    let state = AppState::new(model, dir, settings.auth_token.clone());
    serve(&settings, state).await
}

/// Serves `state` with `settings` (port 0 on loopback) in a background task.
pub async fn serve(settings: &Settings, state: AppState) -> TestApp {
    let app = Application::build(settings, state)
        .await
        .expect("bind loopback");
    let addr = app.local_addr().expect("local addr");
    TestApp {
        scheduler: app.scheduler(),
        address: format!("http://{addr}"),
        client: {
            bela_server::tls::install_crypto_provider();
            reqwest::Client::new()
        },
        server: tokio::spawn(app.run_until_stopped()),
    }
}

/// Loopback settings on a free port, without a token.
pub fn loopback() -> Settings {
    Settings {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        ..Settings::default()
    }
}
