//! The Pyth feeds the keeper refreshes: `--pyth FEED=PRICE_UPDATE` pairs and a file of them.
use std::path::Path;

use anchor_lang::prelude::Pubkey;

/// `FEED=PRICE_UPDATE`: the class's price feed (base58) and the `PriceUpdateV2` account that
/// carries its Pyth price (a sponsored feed account, kept fresh by Pyth's price pusher).
pub fn pair(text: &str) -> Result<(Pubkey, Pubkey), String> {
    let (feed, update) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected FEED=PRICE_UPDATE (two addresses)"))?;
    let key = |s: &str, what: &str| {
        s.trim()
            .parse::<Pubkey>()
            .map_err(|_| format!("`{text}`: the {what} `{}` is not a base58 address", s.trim()))
    };
    Ok((key(feed, "feed")?, key(update, "price update")?))
}

/// The pairs given on the command line, then those of `file` (one `FEED=PRICE_UPDATE` a line;
/// blank lines and `#` comments are skipped). A feed named twice is refused.
pub fn pairs(given: &[String], file: Option<&Path>) -> Result<Vec<(Pubkey, Pubkey)>, String> {
    let mut all = given.iter().map(|p| pair(p)).collect::<Result<Vec<_>, _>>()?;
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                all.push(pair(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?);
            }
        }
    }
    for (i, (feed, _)) in all.iter().enumerate() {
        if all[..i].iter().any(|(f, _)| f == feed) {
            return Err(format!("feed {feed} is configured twice"));
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_come_from_flags_and_a_file() {
        let (a, b, c, d) =
            (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        assert_eq!(pair(&format!("{a}={b}")), Ok((a, b)));
        assert!(pair(&a.to_string()).unwrap_err().contains("FEED=PRICE_UPDATE"));
        assert!(pair(&format!("{a}=nope")).unwrap_err().contains("price update"));
        let path = std::env::temp_dir().join(format!("keeper-pyth-{}.txt", std::process::id()));
        std::fs::write(&path, format!("# feeds\n\n{c} = {d}  # H100\n")).unwrap();
        assert_eq!(pairs(&[format!("{a}={b}")], Some(&path)), Ok(vec![(a, b), (c, d)]));
        std::fs::write(&path, format!("{a}={d}\n")).unwrap();
        assert!(pairs(&[format!("{a}={b}")], Some(&path)).unwrap_err().contains("twice"));
        std::fs::write(&path, "junk\n").unwrap();
        assert!(pairs(&[], Some(&path)).unwrap_err().contains(":1:"));
        let _ = std::fs::remove_file(&path);
    }
}
