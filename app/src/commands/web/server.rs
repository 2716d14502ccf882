//! A static file server for the built web app: GET and HEAD only, on loopback, `/` is
//! `index.html`, `/config.json` is the app's runtime config (the CLI's endpoints), and nothing
//! outside the build directory is ever read (a `..` segment is refused; symlinks out are too).
//! Hand-rolled over tokio: a dozen static files need no framework.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server serves: a build directory and the runtime config.
pub struct Site {
    /// Canonical (symlinks resolved), so a file's canonical path can be checked against it.
    pub dist: PathBuf,
    pub config_json: Vec<u8>,
}

/// A response: status line, content type, body (HEAD sends the headers only).
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply { status, content_type: "text/plain; charset=utf-8", body: body.as_bytes().to_vec() }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    }
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let (mut out, mut i) = (Vec::with_capacity(bytes.len()), 0);
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file a request target names inside `dist`, or why not (a status).
pub fn resolve(dist: &Path, target: &str) -> Result<PathBuf, u16> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(400);
    }
    let path = percent_decode(path).ok_or(400u16)?;
    let mut file = dist.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        // a parent segment, a backslash or a NUL could name something outside the build
        if segment == ".." || segment.contains(['\\', '\0']) {
            return Err(403);
        }
        file.push(segment);
    }
    if path.ends_with('/') {
        file.push("index.html");
    }
    let real = file.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(dist) {
        return Err(403);
    }
    if real.is_file() {
        Ok(real)
    } else {
        Err(404)
    }
}

/// The reply to `method target` (the body even for HEAD: the writer drops it).
pub fn reply(site: &Site, method: &str, target: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return Reply::text(405, "GET or HEAD only\n");
    }
    if target.split(['?', '#']).next() == Some("/config.json") {
        return Reply { status: 200, content_type: "application/json", body: site.config_json.clone() };
    }
    match resolve(&site.dist, target) {
        Ok(file) => match std::fs::read(&file) {
            Ok(body) => Reply { status: 200, content_type: content_type(&file), body },
            Err(_) => Reply::text(404, "not found\n"),
        },
        Err(status) => Reply::text(status, &format!("{}\n", reason(status).to_lowercase())),
    }
}

/// Reads one request's head (up to 16 KiB) and answers it; the connection then closes.
async fn handle(mut stream: TcpStream, site: Arc<Site>) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() + n > 16 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    let mut parts = line.lines().next().unwrap_or("").split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let r = reply(&site, method, target);
    let header = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    stream.write_all(header.as_bytes()).await?;
    if method != "HEAD" {
        stream.write_all(&r.body).await?;
    }
    stream.shutdown().await
}

/// Serves `site` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, site: Arc<Site>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let site = site.clone();
        tokio::spawn(async move {
            let _ = handle(stream, site).await;
        });
    }
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
