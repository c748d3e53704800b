//! Gives the Windows .exe its icon; nothing to do on other systems.

fn main() {
    println!("cargo:rerun-if-changed=assets/icons/posdesk.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("assets/icons/posdesk.ico");
        if let Err(e) = res.compile() {
            println!("cargo:warning=could not embed the Windows icon: {e}");
        }
    }
}
