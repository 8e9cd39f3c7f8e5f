fn main() {
    let janus = testkit::janus::Janus::start().unwrap_or_else(|e| panic!("{e}"));
    println!("{}", janus.api_url());
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok();
}
