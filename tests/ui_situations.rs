//! Situation cards in the Codes screen, in both languages, and the banner that follows the next action
//! (egui_kittest, no GPU needed).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{chosen, harness, type_text};
use egui_kittest::kittest::Queryable;
use posdesk::domain::search::MatchKind;
use posdesk::{Lang, Scheme};
use posdesk_app::ui::command::{CodesCommand, ShopScheme};

fn situation(code: &str) -> Option<(Scheme, String)> {
    Some((Scheme::Situation, code.to_string()))
}

#[test]
fn a_sentence_opens_its_situation_card_and_step_one_links_to_the_query_card() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "customer charged but terminal says failed");
    assert_eq!(chosen(&h), situation("DEBITED_BUT_FAILED"));
    // A label says what kind of card it is, where a code would stand.
    h.get_by_label("ⓘ Situation");
    h.get_by_label("⚠  Check first: the customer may already have paid");
    h.get_by_label("What people say");
    h.get_by_label_contains("Source:");
    // Step 1 says "check the last transaction": one click opens the card that says how.
    h.get_by_label_contains("→ How:").click();
    h.run();
    assert_eq!(chosen(&h), situation("QUERY_LAST_TXN"));
    assert!(h.query_by_label_contains("→ How:").is_none());
}

#[test]
fn situation_cards_read_in_chinese() {
    let mut h = harness(common::store(), Lang::Zh);
    type_text(&mut h, "顾客说扣钱了但没成功");
    assert_eq!(chosen(&h), situation("DEBITED_BUT_FAILED"));
    h.get_by_label("ⓘ 情况");
    h.get_by_label("常见说法");
    h.get_by_label_contains("来源：");
    h.get_by_label_contains("→ 怎么做：").click();
    h.run();
    assert_eq!(chosen(&h), situation("QUERY_LAST_TXN"));
    // A code's check-first card links there too.
    h.state_mut().queue(CodesCommand::SetQuery("1005".into()));
    h.run();
    h.get_by_label_contains("→ 怎么做：");
}

#[test]
fn a_quick_fix_never_says_ask_for_another_way_to_pay() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "AUTHCODEEXPIRE");
    h.get_by_label("🔄  Quick fix: do step 1 (it takes seconds), then try the same payment again");
    assert!(h.query_by_label_contains("another way to pay").is_none());
}

#[test]
fn the_shops_scheme_sets_the_banner_and_names_the_others() {
    let mut h = harness(common::store(), Lang::En);
    h.state_mut()
        .queue(CodesCommand::SetShopScheme(ShopScheme::UnionPay));
    h.run();
    type_text(&mut h, "45");
    assert_eq!(chosen(&h), Some((Scheme::Cups, "45".to_string())));
    assert!(
        h.query_by_label("⚠  Check first: the customer may already have paid")
            .is_none()
    );
    h.get_by_label_contains("Your terminals show UnionPay codes");
}

#[test]
fn words_nothing_answers_lead_with_the_unknown_card_and_guesses() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "the thing beeps thrice");
    let results = &h.state().codes.view.results;
    assert_eq!(results[0].kind, MatchKind::Unknown);
    assert!(results[1..].iter().all(|r| r.kind == MatchKind::Guess));
    assert!(results.len() > 1);
    assert!(h.query_all_by_label_contains("(a guess)").count() >= 1);
    h.get_by_label("\"the thing beeps thrice\" is not in posdesk yet");
}
