fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut sources = gslang_syntax::SourceMap::new();
    let id = sources.add(path.clone(), None, bytes).unwrap();
    let t = std::time::Instant::now();
    let parsed = gslang_syntax::parse(id, sources.file(id));
    eprintln!("parsed in {:?}", t.elapsed());
    if std::env::var("AST").is_ok() {
        println!("{:#?}", parsed.file);
    }
    for d in &parsed.diagnostics {
        print!("{}", gslang_syntax::diag::render(&sources, d));
    }
}
