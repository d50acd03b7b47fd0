//! Embeds libtorch's library directory as an rpath so `probity`, `probity-audit` and their tests
//! run without LD_LIBRARY_PATH. LIBTORCH comes from `.cargo/config.toml` or
//! the environment (see scripts/setup-libtorch).

fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    if let Ok(libtorch) = std::env::var("LIBTORCH") {
        let lib = std::path::Path::new(&libtorch).join("lib");
        let lib = lib.canonicalize().unwrap_or(lib);
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
    }
}
