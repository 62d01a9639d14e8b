// Passwords too common to allow (issue 11, finding 3), compared in lower case. A short list drawn from
// published leaked-password top lists (including the ones common in China: pinyin, keyboard walks,
// dates, "woaini"), restricted to those of 10 or more characters — shorter ones the length rule
// already refuses — plus their usual capitalised/suffixed forms that pass the class rule.
export const COMMON_PASSWORDS: readonly string[] = [
  "1234567890", "0123456789", "9876543210", "1234567890a", "a1234567890", "12345678910", "1111111111", "0000000000",
  "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx3edc", "1qaz@wsx3edc", "1qaz!qaz2wsx", "qwertyuiop", "qwertyuiop1", "qwerty123456",
  "qwerty1234", "qwer1234!@#$", "asdfghjkl1", "asdfghjkl;", "zxcvbnm123", "zxcvbnm,./", "qazwsxedc1", "qazwsxedcrfv",
  "password12", "password123", "password1234", "password123!", "password@123", "password#123", "password1!", "passw0rd123",
  "p@ssw0rd123", "p@ssword123", "p@55w0rd123", "admin12345", "admin123456", "admin@1234", "admin@12345",
  "admin@123456", "admin#1234", "administrator", "administrator1", "administrator123", "root123456", "root@12345", "test123456",
  "welcome123", "welcome1234", "welcome@123", "welcome2026", "changeme123", "letmein123", "iloveyou12", "iloveyou123",
  "sunshine123", "princess123", "football123", "baseball123", "dragon12345", "monkey12345", "superman123", "michael123",
  "woaini1314", "woaini5201314", "woaini123456", "5201314520", "5201314woaini", "a5201314520", "woshishui123", "zhang123456",
  "wang123456", "li123456789", "liu123456789", "chen123456", "abc1234567", "abcd123456", "abcd1234!@", "abc123456789",
  "abc@123456", "abcdefghij", "abcdefg123", "aa12345678", "aa123456789", "qq123456789", "qq12345678", "asd1234567",
  "123456789a", "123456789q", "123456789z", "123456abcd", "123456qwer", "123qweasdzxc", "1234qwer!@#$", "12qwaszx!@",
  "a123456789", "a12345678!", "a123456789!", "aa123123123", "q1w2e3r4t5", "z1x2c3v4b5", "1a2b3c4d5e", "a1b2c3d4e5",
  "123abc!@#abc", "demo123456", "demo1234!@", "user123456", "guest12345", "china12345", "china123456", "beijing123",
  "shanghai123", "changzhou123", "jiangsu123", "shebao12345", "shebao@123", "canbao12345", "huawei12345", "computer123",
  "internet123", "secret1234", "trustno1!!", "starwars123", "pokemon123", "master12345", "hello12345", "hello123456",
  "helloworld", "helloworld1", "helloworld123", "goodluck123", "happy12345", "love123456", "lovely1234", "qwe123456789",
  "qwe123qwe123", "asd123asd123", "zxc123zxc123", "q1w2e3r4!@#$", "aaaaaaaaaa", "aaaaaa1111", "a1a1a1a1a1", "P@ssw0rd2026",
  "Passw0rd!2026", "Admin@2026", "Welcome@2026", "Changzhou@2026", "Qwer@12345", "Aa123456789", "Aa12345678!", "Abc@123456",
  "Abcd@123456", "Abc123456!", "Admin@123456", "Password@1", "Password1!", "Password123", "Password@123", "Qwerty@123",
  "Qwerty123!", "Asdf@123456", "Zxcv@123456", "Test@123456", "Root@123456", "Huawei@123", "Huawei@12345", "Sangfor@123",
];

const COMMON = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

/** Is the password on the common list (case-insensitive)? */
export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}
