// Catalogue entries of the trust findings (issue 11): four eyes, neutral refusals, input limits,
// list auditing and the auditor's page. Spread into zh/en by lib/i18n/messages.ts.

export const securityZh = {
  // Four eyes (四眼原则): whoever filled or requested a record never approves it.
  "review.err.ownWork": "您填报过此登记表，不能审核自己填报的记录，请由其他人员审核。",
  "review.ownWork": "本人填报，须由他人审核",
  "change.err.ownRequest": "您是此变更申请的申请人，不能审批自己提出的申请，请由其他人员审批。",
  "change.ownRequest": "本人申请，须由他人审批",
  // Neutral refusals: they must not tell whether an ID exists outside the user's region.
  "survey.err.newPersonRefused": "该身份号码不能登记为新发现人员，请核对号码，或联系街道社保所核实。",
  "change.err.idRefused": "不能变更为此身份号码，请核对号码，或联系街道社保所核实。",
  // Input limits.
  "survey.err.draftInvalid": "草稿内容不符合登记表格式，未保存。",
  "survey.err.draftTooLarge": "草稿内容过长，未保存，请精简后再保存。",
  "import.tooLarge": "文件超过 {mb} MB 的上传上限，未导入。",
  "import.refusal.too_long": "值“{value}”超过该列的长度上限",
  // Exports and searches.
  "export.reason": "导出原因",
  "export.unmasked": "导出完整身份号码和电话（须填写原因）",
  "export.reasonRequired": "导出完整身份号码须填写导出原因。",
  "registry.searchedFor": "查询号码",
  "auth.signOutUnsynced": "本机有尚未上传的入户登记草稿，退出后将从本机清除。确定退出吗？",
} as const;

export const securityEn: Partial<Record<keyof typeof securityZh, string>> = {
  "review.err.ownWork": "You filled this form: someone else must review it.",
  "review.ownWork": "Filled by you: someone else reviews it",
  "change.err.ownRequest": "You requested this change: someone else must decide on it.",
  "change.ownRequest": "Requested by you: someone else decides",
  "survey.err.newPersonRefused": "This ID number cannot be added as a newly found person: check it, or ask the street office.",
  "change.err.idRefused": "The ID number cannot be changed to this one: check it, or ask the street office.",
  "survey.err.draftInvalid": "The draft does not match the form and was not saved.",
  "survey.err.draftTooLarge": "The draft is too long and was not saved.",
  "import.tooLarge": "The file exceeds the {mb} MB upload limit and was not imported.",
  "import.refusal.too_long": "“{value}” is longer than this column allows",
  "export.reason": "Reason for the export",
  "export.unmasked": "Export full ID numbers and phones (a reason is required)",
  "export.reasonRequired": "A full-ID export needs a reason.",
  "registry.searchedFor": "Searched for",
  "auth.signOutUnsynced": "Drafts on this device have not reached the server and will be cleared. Sign out anyway?",
};
