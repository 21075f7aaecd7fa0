//! Unpacks the AWS managed policy catalogue (`data/aws-managed-policies/`,
//! gzip) into `OUT_DIR`, where `src/iam/catalogue.rs` includes it.

use std::io::Read;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let src = "data/aws-managed-policies/policies.tsv.gz";
    println!("cargo::rerun-if-changed={src}");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(src)?).read_to_string(&mut text)?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("aws-managed-policies.tsv");
    std::fs::write(out, text)?;
    Ok(())
}
