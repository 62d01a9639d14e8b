"use client";

import type { Translate } from "@/lib/i18n/messages";

export interface PickerRegion {
  code: string;
  name: string;
  parentCode: string | null;
}

/**
 * 常住所在地: district → street → community, from the city's region tree. The value is the
 * 12-digit community code; a residence outside the city leaves it empty (the address says where).
 * The form starts it from the person's known residence (the registry's, else the task's community).
 */
export function RegionPicker({ regions, value, onChange, disabled, t, cityName, invalid }: { regions: PickerRegion[]; value: string; onChange: (code: string) => void; disabled: boolean; t: Translate; cityName: string; invalid?: boolean }) {
  const district = value.slice(0, 6);
  const street = value.slice(0, 9);
  const childrenOf = (code: string | null) => regions.filter((r) => r.parentCode === code);
  const cityCode = regions.find((r) => r.code.length === 4)?.code ?? null;
  const cls = "mt-1 w-full rounded border border-slate-300 px-3 py-2 text-base disabled:bg-slate-100";
  return (
    <div className="grid grid-cols-1 gap-2 sm:grid-cols-3" data-testid="region-picker">
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t("survey.residenceDistrict", { city: cityName })}</span>
        <select aria-label="district" className={cls} disabled={disabled} value={district.length === 6 ? district : ""} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("survey.residenceOutside")}</option>
          {childrenOf(cityCode).map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t("level.STREET")}</span>
        <select aria-label="street" className={cls} disabled={disabled || district.length !== 6} value={street.length === 9 ? street : ""} onChange={(e) => onChange(e.target.value || district)}>
          <option value="">—</option>
          {childrenOf(district.length === 6 ? district : null).map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t("level.COMMUNITY")}</span>
        <select aria-label="community" name="residenceRegionCode" aria-invalid={invalid || undefined} className={cls} disabled={disabled || street.length !== 9} value={value.length === 12 ? value : ""} onChange={(e) => onChange(e.target.value || street)}>
          <option value="">—</option>
          {childrenOf(street.length === 9 ? street : null).map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
