//! What the domain's enums are called in each language, beside the enums (i18n holds only the
//! mechanism, so it never reaches up into the domain). The words a clerk reads for them are all here.

use crate::domain::advice::Advice;
use crate::domain::code::{Category, Fixer, Retry, Scheme};
use crate::labels;

labels!(Scheme {
    Iso8583 => ("ISO 8583", "ISO 8583"),
    Cups => ("UnionPay", "银联"),
    Terminal => ("Terminal message", "终端提示"),
    Wechatpay => ("WeChat Pay", "微信支付"),
    Alipay => ("Alipay", "支付宝"),
    Situation => ("Situation", "情况"),
    Custom => ("My codes", "我的代码"),
});

labels!(Retry {
    Now => ("Safe to retry now", "可以直接重试"),
    AfterFix => ("Retry only after the fix", "处理好后再重试"),
    Never => ("Do not retry", "不要重试"),
    CheckFirst => ("Check first: the customer may already have paid", "先查询：顾客可能已经付款"),
    QuickFix => ("Quick fix at the till, then the same payment again", "现场快速处理后重试同一笔"),
    MerchantSide => ("Shop side: the owner or the provider handles it", "商户侧：由店主或服务商处理"),
});

labels!(Fixer {
    Clerk => ("You (the clerk)", "收银员（您）"),
    Merchant => ("Shop owner or manager", "店主或店长"),
    Provider => ("Payment provider / acquirer", "支付服务商 / 收单机构"),
    Cardholder => ("The customer", "顾客"),
    Issuer => ("The customer's bank or wallet", "顾客的发卡行或钱包"),
});

labels!(Category {
    Approved => ("Approved / information", "成功 / 提示"),
    Partial => ("Partly approved", "部分批准"),
    Declined => ("Declined by the bank", "发卡行拒绝"),
    Card => ("Card problem", "卡片问题"),
    Pin => ("PIN", "密码"),
    Funds => ("Funds", "余额"),
    Limit => ("Limit", "限额"),
    Risk => ("Risk / security hold", "风险 / 冻结"),
    Security => ("Terminal keys / sign-in", "密钥 / 签到"),
    Network => ("Network / communication", "网络 / 通讯"),
    Issuer => ("Bank or system unavailable", "银行或系统不可用"),
    Merchant => ("Shop or terminal setup", "商户或终端设置"),
    Transaction => ("Transaction", "交易"),
    Hardware => ("Device hardware", "设备硬件"),
    Reserved => ("Reserved / private code", "保留 / 自定义代码"),
    Situation => ("Situation at the till", "收银台常见情况"),
});

labels!(Advice {
    Approved => ("Approved: the payment went through. Do not charge again.", "交易成功：款已收到，不要重复收款。"),
    PartlyApproved => (
        "Only part was approved: collect the rest another way. Do not charge the full amount on this card again.",
        "只批准了部分金额：差额请用其他方式收取，不要在这张卡上重刷全额。"
    ),
    CheckFirst => ("Check first: the customer may already have paid", "先查询：顾客可能已经付款"),
    Declined => ("Declined: ask for another way to pay", "被拒绝：请顾客换卡或换其他方式付款"),
    DoNotRetry => ("Do not retry: ask for another way to pay", "不要重试：请顾客换其他方式付款"),
    AfterFix => ("Retry only after the fix below", "按下面的步骤处理好后再重试"),
    QuickFix => (
        "Quick fix: do step 1 (it takes seconds), then try the same payment again",
        "先按第 1 步快速处理（只需几秒），再重试同一笔付款"
    ),
    MerchantSide => (
        "Shop side: the shop owner or the provider handles this; nothing to charge the customer",
        "商户侧问题：由店主或服务商处理，不用向顾客收款"
    ),
    RetryNow => ("Safe to retry now", "可以直接重试"),
});

/// Short forms for result rows, where a whole sentence does not fit.
pub fn advice_short(a: Advice) -> crate::i18n::Text {
    use crate::i18n::Text;
    match a {
        Advice::Approved => Text::new("Approved", "已成功"),
        Advice::PartlyApproved => Text::new("Part approved", "部分批准"),
        Advice::CheckFirst => Text::new("Check first", "先查询"),
        Advice::Declined => Text::new("Declined", "被拒绝"),
        Advice::DoNotRetry => Text::new("Do not retry", "不要重试"),
        Advice::AfterFix => Text::new("Fix first", "先处理"),
        Advice::QuickFix => Text::new("Quick fix", "快速处理"),
        Advice::MerchantSide => Text::new("Shop side", "商户处理"),
        Advice::RetryNow => Text::new("Retry OK", "可重试"),
    }
}
