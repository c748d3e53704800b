//! Gives the Windows posdesk-cli.exe the same icon as posdesk.exe; nothing to do on other systems.

fn main() {
    const ICON: &str = "../../assets/icons/posdesk.ico";
    println!("cargo:rerun-if-changed={ICON}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        let mut res = winresource::WindowsResource::new();
        res.set_icon(ICON);
        if let Err(e) = res.compile() {
            println!("cargo:warning=could not embed the Windows icon: {e}");
        }
    }
}
