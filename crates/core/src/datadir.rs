//! The data directory: private to its owner.
//!
//! The directory is mode 0700 and every file in it 0600 (the state and trail
//! databases with their `-wal`/`-shm` files, the master key, the sign-in
//! outbox, the bootstrap and demo credential files), also when an older
//! version created them with wider modes: [`secure`] fixes them at start.

use std::path::Path;

use crate::error::CoreError;

fn io(path: &Path, e: std::io::Error) -> CoreError {
    CoreError::Internal(format!("data directory {}: {e}", path.display()))
}

/// Creates `dir` if needed, then makes it and everything under it private:
/// directories 0700, files 0600. Symbolic links are left alone (not followed).
pub fn secure(dir: &Path) -> Result<(), CoreError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    restrict(dir)
}

#[cfg(unix)]
fn restrict(path: &Path) -> Result<(), CoreError> {
    use std::os::unix::fs::PermissionsExt as _;
    let meta = std::fs::symlink_metadata(path).map_err(|e| io(path, e))?;
    let mode = if meta.is_dir() {
        0o700
    } else if meta.is_file() {
        0o600
    } else {
        return Ok(());
    };
    if meta.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| io(path, e))?;
    }
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| io(path, e))? {
            let entry = entry.map_err(|e| io(path, e))?;
            restrict(&entry.path())?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> Result<(), CoreError> {
    Ok(())
}

/// Makes files the process creates from now on private (umask 077), so that
/// SQLite's `-wal`/`-shm` files and new outbox files are born 0600.
pub fn private_umask() {
    #[cfg(target_os = "linux")]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_older_wide_open_directory_is_made_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        std::fs::create_dir_all(dir.join("outbox")).unwrap();
        for f in ["state.db", "state.db-wal", "outbox/m1.json"] {
            std::fs::write(dir.join(f), b"x").unwrap();
            std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        secure(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("outbox")), 0o700);
        for f in ["state.db", "state.db-wal", "outbox/m1.json"] {
            assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
        }
    }
}
