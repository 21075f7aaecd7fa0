//! Files the operator jobs write that nobody else should read: the recovery
//! ledger (who asked for which root password, and why) and unlock backups
//! (bucket and queue policies: principals, networks, conditions). New files
//! are 0600 and new directories 0700 on Unix, whatever the umask; existing
//! ones keep their modes (a team may share a ledger on purpose).

use std::fs::OpenOptions;
use std::path::Path;

/// Creates `dir` and its missing parents, each new one 0700.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Options that create a file 0600.
pub fn private_file() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn new_files_and_directories_are_private_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        create_private_dir_all(&deep).unwrap();
        for d in [dir.path().join("a"), deep.clone()] {
            let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", d.display());
        }
        let f = deep.join("f");
        private_file()
            .write(true)
            .create_new(true)
            .open(&f)
            .unwrap();
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
