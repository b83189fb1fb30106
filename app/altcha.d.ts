// ALTCHA's language packs ship without declarations; importing one only registers its texts.
declare module "altcha/i18n/zh-cn";
