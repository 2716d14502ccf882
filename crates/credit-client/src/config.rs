//! The Solana CLI's conventions: its config file (`~/.config/solana/cli/config.yml`), URL
//! monikers, the websocket URL derived from the RPC URL, keypair files, and the order in which a
//! flag, the config file and the defaults win (as `solana_cli_config::ConfigInput` resolves them).
//!
//! One deliberate difference: the `l`/`localhost` moniker is `http://127.0.0.1:8899` (the Solana
//! CLI says `http://localhost:8899`): the local network binds IPv4 loopback only, and `localhost`
//! may resolve to `::1` first.
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;
use solana_commitment_config::CommitmentConfig;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{read_keypair_file, Keypair, NullSigner, Presigner, Signature, Signer};

pub const MAINNET_BETA_URL: &str = "https://api.mainnet-beta.solana.com";
pub const TESTNET_URL: &str = "https://api.testnet.solana.com";
pub const DEVNET_URL: &str = "https://api.devnet.solana.com";
pub const LOCALHOST_URL: &str = "http://127.0.0.1:8899";

/// The keys of the Solana CLI's config file this client reads. Missing keys are empty (the
/// defaults apply); others (`address_labels`, `fee`) are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ConfigFile {
    pub json_rpc_url: String,
    /// Empty: derived from the RPC URL.
    pub websocket_url: String,
    pub keypair_path: String,
    pub commitment: String,
}

impl ConfigFile {
    pub fn parse(yaml: &str) -> Result<ConfigFile, String> {
        if yaml.trim().is_empty() {
            return Ok(ConfigFile::default());
        }
        serde_yaml::from_str(yaml).map_err(|e| format!("not a Solana CLI config: {e}"))
    }

    /// An explicitly named file must exist; the default one (`path: None`) may be missing
    /// (then every setting has its default, as for a user who never ran `solana config set`).
    pub fn load(path: Option<&Path>) -> Result<ConfigFile, String> {
        let (path, explicit) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => match default_config_path() {
                Some(p) => (p, false),
                None => return Ok(ConfigFile::default()),
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => ConfigFile::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if !explicit && e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// `~/.config/solana/cli/config.yml`.
pub fn default_config_path() -> Option<PathBuf> {
    home().map(|h| h.join(".config/solana/cli/config.yml"))
}

/// `~/.config/solana/id.json`.
pub fn default_keypair_path() -> PathBuf {
    home().unwrap_or_else(|| PathBuf::from(".")).join(".config/solana/id.json")
}

/// A moniker (`m`/`mainnet-beta`, `t`/`testnet`, `d`/`devnet`, `l`/`localhost`) as its URL;
/// anything else unchanged.
pub fn normalize_url(url_or_moniker: &str) -> String {
    match url_or_moniker {
        "m" | "mainnet-beta" => MAINNET_BETA_URL,
        "t" | "testnet" => TESTNET_URL,
        "d" | "devnet" => DEVNET_URL,
        "l" | "localhost" => LOCALHOST_URL,
        url => url,
    }
    .to_string()
}

/// The websocket URL of an RPC URL as the Solana CLI derives it: `ws` for `http`, `wss` for
/// `https`, the port plus one when there is a port. Empty when the URL does not parse.
pub fn websocket_url(rpc_url: &str) -> String {
    let Ok(url) = url::Url::parse(rpc_url) else { return String::new() };
    let mut ws = url.clone();
    let secure = url.scheme().eq_ignore_ascii_case("https");
    if ws.set_scheme(if secure { "wss" } else { "ws" }).is_err() {
        return String::new();
    }
    if let Some(port) = url.port() {
        let Some(next) = port.checked_add(1) else { return String::new() };
        if ws.set_port(Some(next)).is_err() {
            return String::new();
        }
    }
    ws.to_string()
}

/// `processed`, `confirmed` or `finalized`.
pub fn parse_commitment(s: &str) -> Result<CommitmentConfig, String> {
    match s {
        "processed" => Ok(CommitmentConfig::processed()),
        "confirmed" => Ok(CommitmentConfig::confirmed()),
        "finalized" => Ok(CommitmentConfig::finalized()),
        other => Err(format!("commitment `{other}`: expected processed, confirmed or finalized")),
    }
}

/// What the command line says (each `None` when its flag is absent).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub url: Option<String>,
    pub websocket_url: Option<String>,
    pub keypair: Option<String>,
    pub commitment: Option<String>,
}

/// The settings a command runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub json_rpc_url: String,
    pub websocket_url: String,
    /// A keypair file, or (for `--sign-only`) a public key; see [`signer_from_source`].
    pub keypair: String,
    pub commitment: CommitmentConfig,
}

fn first_nonempty<'a>(values: &[Option<&'a str>]) -> Option<&'a str> {
    values.iter().flatten().copied().find(|v| !v.is_empty())
}

/// The flag, else the config file, else the default; the websocket URL as the Solana CLI
/// computes it: the `--ws` flag, the file's `websocket_url`, derived from `--url`, derived from
/// the file's `json_rpc_url`. Commitment default: `confirmed`.
pub fn resolve(file: &ConfigFile, flags: &Overrides) -> Result<Settings, String> {
    let url_flag = flags.url.as_deref().filter(|u| !u.is_empty());
    let json_rpc_url =
        normalize_url(first_nonempty(&[url_flag, Some(&file.json_rpc_url)]).unwrap_or(MAINNET_BETA_URL));
    let websocket_url = match first_nonempty(&[flags.websocket_url.as_deref(), Some(&file.websocket_url)]) {
        Some(ws) => ws.to_string(),
        None => websocket_url(&json_rpc_url),
    };
    let keypair = match first_nonempty(&[flags.keypair.as_deref(), Some(&file.keypair_path)]) {
        Some(k) => expand_home(k),
        None => default_keypair_path().display().to_string(),
    };
    let commitment = match first_nonempty(&[flags.commitment.as_deref()]) {
        Some(c) => parse_commitment(c)?,
        // the file's value when it is one we know, as the Solana CLI falls through on others
        None => parse_commitment(&file.commitment).unwrap_or_else(|_| CommitmentConfig::confirmed()),
    };
    Ok(Settings { json_rpc_url, websocket_url, keypair, commitment })
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), home()) {
        (Some(rest), Some(home)) => home.join(rest).display().to_string(),
        _ => path.to_string(),
    }
}

/// A keypair file: Solana's JSON array of 64 bytes (what `solana-keygen new` writes).
pub fn read_keypair(path: impl AsRef<Path>) -> Result<Keypair, String> {
    let path = path.as_ref();
    read_keypair_file(path).map_err(|e| format!("keypair {}: {e}", path.display()))
}

/// Where a signature comes from, as the Solana CLI's signer arguments take it:
/// - a keypair file: it signs here;
/// - `PUBKEY=SIGNATURE`: a signature made elsewhere (what `--sign-only` printed);
/// - a bare public key (no such file): the key signs elsewhere. Only `--sign-only` and
///   `--simulate` accept it (`allow_pubkey`): the transaction then lacks its signature.
pub fn signer_from_source(source: &str, allow_pubkey: bool) -> Result<Box<dyn Signer>, String> {
    if let Some((key, sig)) = source.split_once('=') {
        if let (Ok(key), Ok(sig)) = (Pubkey::from_str(key), Signature::from_str(sig)) {
            return Ok(Box::new(Presigner::new(&key, &sig)));
        }
    }
    let path = Path::new(source);
    if !path.exists() {
        if let Ok(key) = Pubkey::from_str(source) {
            if allow_pubkey {
                return Ok(Box::new(NullSigner::new(&key)));
            }
            return Err(format!(
                "{key} is a public key, not a keypair file: only --sign-only (or --simulate) can use a key that signs elsewhere"
            ));
        }
    }
    Ok(Box::new(read_keypair(path)?))
}

/// True for a signer whose signature this process cannot make (a bare public key).
pub fn signs_elsewhere(signer: &dyn Signer) -> bool {
    // a NullSigner "signs" anything with the default signature; a keypair signs for real and a
    // presigner refuses a message its signature is not for
    matches!(signer.try_sign_message(b"probe"), Ok(s) if s == Signature::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_sdk::signature::write_keypair_file;

    #[test]
    fn monikers_are_the_solana_clis() {
        assert_eq!(normalize_url("l"), "http://127.0.0.1:8899");
        assert_eq!(normalize_url("localhost"), "http://127.0.0.1:8899");
        assert_eq!(normalize_url("d"), "https://api.devnet.solana.com");
        assert_eq!(normalize_url("devnet"), "https://api.devnet.solana.com");
        assert_eq!(normalize_url("t"), "https://api.testnet.solana.com");
        assert_eq!(normalize_url("testnet"), "https://api.testnet.solana.com");
        assert_eq!(normalize_url("m"), "https://api.mainnet-beta.solana.com");
        assert_eq!(normalize_url("mainnet-beta"), "https://api.mainnet-beta.solana.com");
        assert_eq!(normalize_url("https://rpc.example.com/key"), "https://rpc.example.com/key");
        // a moniker is a whole word, not a prefix
        assert_eq!(normalize_url("dev"), "dev");
    }

    #[test]
    fn websocket_urls_are_derived_as_the_solana_cli_does() {
        assert_eq!(websocket_url("http://127.0.0.1:8899"), "ws://127.0.0.1:8900/");
        assert_eq!(websocket_url("https://api.devnet.solana.com"), "wss://api.devnet.solana.com/");
        assert_eq!(websocket_url("http://api.devnet.solana.com"), "ws://api.devnet.solana.com/");
        assert_eq!(websocket_url("https://example.com:1234/path?k=v"), "wss://example.com:1235/path?k=v");
        assert_eq!(websocket_url("garbage"), "");
        assert_eq!(websocket_url("http://example.com:65535"), "");
    }

    #[test]
    fn commitments() {
        assert_eq!(parse_commitment("processed").unwrap(), CommitmentConfig::processed());
        assert_eq!(parse_commitment("confirmed").unwrap(), CommitmentConfig::confirmed());
        assert_eq!(parse_commitment("finalized").unwrap(), CommitmentConfig::finalized());
        assert!(parse_commitment("max").unwrap_err().contains("expected processed"));
    }

    /// What `solana config set` writes (address_labels and fee included).
    const WRITTEN_BY_SOLANA: &str = "---
json_rpc_url: \"https://api.devnet.solana.com\"
websocket_url: \"\"
keypair_path: /home/alice/.config/solana/devnet.json
address_labels:
  \"11111111111111111111111111111111\": System Program
commitment: finalized
fee: \"0\"
";

    #[test]
    fn the_config_file_parses() {
        let file = ConfigFile::parse(WRITTEN_BY_SOLANA).unwrap();
        assert_eq!(file.json_rpc_url, "https://api.devnet.solana.com");
        assert_eq!(file.websocket_url, "");
        assert_eq!(file.keypair_path, "/home/alice/.config/solana/devnet.json");
        assert_eq!(file.commitment, "finalized");
        assert_eq!(ConfigFile::parse("").unwrap(), ConfigFile::default());
        assert_eq!(ConfigFile::parse("json_rpc_url: l\n").unwrap().json_rpc_url, "l");
        assert!(ConfigFile::parse("json_rpc_url: [1, 2]\n").is_err());
    }

    #[test]
    fn flags_win_over_the_file_which_wins_over_defaults() {
        let file = ConfigFile::parse(WRITTEN_BY_SOLANA).unwrap();
        let s = resolve(&file, &Overrides::default()).unwrap();
        assert_eq!(s.json_rpc_url, "https://api.devnet.solana.com");
        assert_eq!(s.websocket_url, "wss://api.devnet.solana.com/");
        assert_eq!(s.keypair, "/home/alice/.config/solana/devnet.json");
        assert_eq!(s.commitment, CommitmentConfig::finalized());

        let flags = Overrides {
            url: Some("l".into()),
            keypair: Some("/tmp/k.json".into()),
            commitment: Some("processed".into()),
            ..Overrides::default()
        };
        let s = resolve(&file, &flags).unwrap();
        assert_eq!(s.json_rpc_url, "http://127.0.0.1:8899");
        assert_eq!(s.websocket_url, "ws://127.0.0.1:8900/");
        assert_eq!(s.keypair, "/tmp/k.json");
        assert_eq!(s.commitment, CommitmentConfig::processed());

        // a websocket URL in the file wins over one derived from --url, as in the Solana CLI
        let pinned = ConfigFile { websocket_url: "ws://pinned:1/".into(), ..file.clone() };
        assert_eq!(resolve(&pinned, &flags).unwrap().websocket_url, "ws://pinned:1/");
        let ws = Overrides { websocket_url: Some("ws://flag:2/".into()), ..flags.clone() };
        assert_eq!(resolve(&pinned, &ws).unwrap().websocket_url, "ws://flag:2/");

        let bad = Overrides { commitment: Some("recent".into()), ..Overrides::default() };
        assert!(resolve(&file, &bad).is_err());
    }

    #[test]
    fn defaults_are_the_solana_clis() {
        let s = resolve(&ConfigFile::default(), &Overrides::default()).unwrap();
        assert_eq!(s.json_rpc_url, "https://api.mainnet-beta.solana.com");
        assert_eq!(s.websocket_url, "wss://api.mainnet-beta.solana.com/");
        assert!(s.keypair.ends_with(".config/solana/id.json"), "{}", s.keypair);
        assert_eq!(s.commitment, CommitmentConfig::confirmed());
        // a value the file has that we do not know falls back to the default
        let odd = ConfigFile { commitment: "max".into(), ..ConfigFile::default() };
        assert_eq!(resolve(&odd, &Overrides::default()).unwrap().commitment, CommitmentConfig::confirmed());
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("credit-client-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn load_needs_an_explicit_file_to_exist() {
        let dir = temp_dir("load");
        let path = dir.join("config.yml");
        std::fs::write(&path, WRITTEN_BY_SOLANA).unwrap();
        assert_eq!(ConfigFile::load(Some(&path)).unwrap().commitment, "finalized");
        let missing = dir.join("missing.yml");
        assert!(ConfigFile::load(Some(&missing)).unwrap_err().contains("missing.yml"));
        std::fs::write(&path, "json_rpc_url: [").unwrap();
        assert!(ConfigFile::load(Some(&path)).unwrap_err().contains("not a Solana CLI config"));
    }

    #[test]
    fn signers_from_keypair_files_public_keys_and_signatures() {
        let dir = temp_dir("signers");
        let key = Keypair::new();
        let path = dir.join("id.json");
        write_keypair_file(&key, &path).unwrap();
        // Solana's format: a JSON array of the 64 secret and public key bytes
        let text = std::fs::read_to_string(&path).unwrap();
        let bytes: Vec<u8> = serde_json::from_str(&text).unwrap();
        assert_eq!(bytes, key.to_bytes().to_vec());
        assert_eq!(read_keypair(&path).unwrap().pubkey(), key.pubkey());

        let signer = signer_from_source(path.to_str().unwrap(), false).unwrap();
        assert_eq!(signer.pubkey(), key.pubkey());
        assert!(!signs_elsewhere(signer.as_ref()));

        let elsewhere = Pubkey::new_unique();
        let refused = signer_from_source(&elsewhere.to_string(), false).err().unwrap();
        assert!(refused.contains("--sign-only"), "{refused}");
        let null = signer_from_source(&elsewhere.to_string(), true).unwrap();
        assert_eq!(null.pubkey(), elsewhere);
        assert!(signs_elsewhere(null.as_ref()));

        let sig = key.sign_message(b"message");
        let pre = signer_from_source(&format!("{}={sig}", key.pubkey()), false).unwrap();
        assert_eq!(pre.pubkey(), key.pubkey());
        assert!(!signs_elsewhere(pre.as_ref()));

        std::fs::write(dir.join("bad.json"), "[1, 2, 3]").unwrap();
        assert!(signer_from_source(dir.join("bad.json").to_str().unwrap(), true).is_err());
        assert!(signer_from_source(dir.join("none.json").to_str().unwrap(), true).is_err());
    }
}
