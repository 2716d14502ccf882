//! The static server over a real socket: files with their types, `/` as index.html, the
//! config, HEAD, and every way out of the build directory refused.
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

/// A build directory with an index, a script, and a secret next to (not inside) it.
fn fixture(name: &str) -> (PathBuf, Site) {
    let root = std::env::temp_dir().join(format!("app-web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>credits</title>").unwrap();
    std::fs::write(dist.join("assets/app-1.js"), "console.log(1)").unwrap();
    std::fs::write(root.join("secret.txt"), "outside").unwrap();
    std::os::unix::fs::symlink(root.join("secret.txt"), dist.join("link.txt")).unwrap();
    let site =
        Site { dist: dist.canonicalize().unwrap(), config_json: br#"{"cluster":"localnet"}"#.to_vec() };
    (root, site)
}

/// Sends `request` raw (no client normalises `..` away) and returns status line and body.
async fn raw(addr: std::net::SocketAddr, request: &str) -> (String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    (head.to_string(), body.to_string())
}

#[tokio::test]
async fn serves_the_build_and_refuses_everything_outside_it() {
    let (root, site) = fixture("serve");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(serve(listener, Arc::new(site)));
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");

    let (head, body) = raw(addr, &get("/")).await;
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert_eq!(body, "<!doctype html><title>credits</title>");
    let (head, body) = raw(addr, &get("/assets/app-1.js?v=2")).await;
    assert!(head.contains("text/javascript") && body == "console.log(1)", "{head}");
    let (head, body) = raw(addr, &get("/config.json")).await;
    assert!(head.contains("application/json") && body == r#"{"cluster":"localnet"}"#, "{head}");
    let (head, body) = raw(addr, "HEAD /index.html HTTP/1.1\r\n\r\n").await;
    assert!(head.starts_with("HTTP/1.1 200") && head.contains("Content-Length: 37") && body.is_empty());

    for escape in ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"] {
        let (head, body) = raw(addr, &get(escape)).await;
        assert!(head.starts_with("HTTP/1.1 403"), "{escape}: {head}");
        assert!(!body.contains("outside"), "{escape}");
    }
    let (head, _) = raw(addr, &get("/link.txt")).await;
    assert!(head.starts_with("HTTP/1.1 403"), "a symlink out of the build: {head}");
    let (head, _) = raw(addr, &get("/nope.js")).await;
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    let (head, _) = raw(addr, "POST /config.json HTTP/1.1\r\n\r\n").await;
    assert!(head.starts_with("HTTP/1.1 405"), "{head}");
    server.abort();
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn content_types_by_extension() {
    assert_eq!(content_type(Path::new("a.css")), "text/css; charset=utf-8");
    assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
    assert_eq!(content_type(Path::new("a.woff2")), "font/woff2");
    assert_eq!(content_type(Path::new("a")), "application/octet-stream");
}
