#[test]
fn smoke() {
    let _ = super::segment("x");
}
