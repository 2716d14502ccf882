//! The web app's build: present, or built from its sources next to it (`npm ci` and
//! `npm run build` in the directory holding `package.json`), saying so; without npm, what to run.
use std::path::Path;
use std::process::Command;

fn npm(dir: &Path, args: &[&str]) -> Result<(), String> {
    println!("  npm {} (in {})", args.join(" "), dir.display());
    let status = Command::new("npm").args(args).current_dir(dir).status().map_err(|e| format!("npm: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm {}` in {} failed ({status})", args.join(" "), dir.display()))
    }
}

/// Builds `dist` if it has no `index.html`: its parent must hold the app's `package.json`.
pub fn ensure_built(dist: &Path) -> Result<(), String> {
    if dist.join("index.html").is_file() {
        return Ok(());
    }
    let app = dist.parent().filter(|p| p.join("package.json").is_file()).ok_or_else(|| {
        format!("{}: no index.html, and no package.json next to it to build it from", dist.display())
    })?;
    let has_npm = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_npm {
        return Err(format!(
            "{} is missing and npm is not installed: install Node 20 and npm \
             (Debian: apt-get install nodejs npm), then run `cd {} && npm ci && npm run build`",
            dist.display(),
            app.display()
        ));
    }
    println!("{} is missing: building the web app", dist.display());
    npm(app, &["ci", "--no-audit", "--no-fund"])?;
    npm(app, &["run", "build"])?;
    if dist.join("index.html").is_file() {
        Ok(())
    } else {
        Err(format!("`npm run build` wrote no {}", dist.join("index.html").display()))
    }
}
