//! What every target does with what it found: write it in every output format, so that a
//! finding no renderer can show (a column past 65,535, a control character, a span past
//! the text) is a crash the fuzzer can reach.

use plancheck::report::{self, FileReport, Summary};
use plancheck::rules::RuleSet;

pub fn render_every_format(reports: &[FileReport]) {
    let summary = Summary::of(reports, 0);
    let mut sink = std::io::sink();
    for color in [false, true] {
        let options = report::human::HumanOptions {
            color,
            width: 80,
            quiet: false,
        };
        report::human::write(reports, &summary, &options, &mut sink).expect("a sink takes all");
    }
    report::concise::write(reports, &mut sink).expect("a sink takes all");
    report::json::write(reports, &summary, &mut sink).expect("a sink takes all");
    report::sarif::write(reports, &mut sink).expect("a sink takes all");
    report::github::write(reports, &mut sink).expect("a sink takes all");
    report::github::write_summary(reports, &summary, &mut sink).expect("a sink takes all");
    report::junit::write(reports, &RuleSet::default(), &mut sink).expect("a sink takes all");
    report::statistics::write_text(reports, &mut sink).expect("a sink takes all");
    report::statistics::write_json(reports, &mut sink).expect("a sink takes all");
}
