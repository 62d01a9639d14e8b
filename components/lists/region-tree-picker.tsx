"use client";

import { createContext, useContext, useState } from "react";
import { useFieldError } from "@/components/ui/action-form";

// 区划选择: the region tree as one select per level (区县 → 街道 → 社区), each offering the children
// of the region chosen above it, instead of a typed code. The value (a hidden input `name`) is the
// deepest region chosen, or `rootCode` / "" when none is. Every option shows the region's name.

export interface TreeRegion {
  code: string;
  name: string;
  parentCode: string | null;
}

const RegionsContext = createContext<TreeRegion[]>([]);

/** The region tree once for every picker below it (a list with a picker in each row sends it once). */
export function RegionsProvider({ regions, children }: { regions: TreeRegion[]; children: React.ReactNode }) {
  return <RegionsContext.Provider value={regions}>{children}</RegionsContext.Provider>;
}

export function RegionTreePicker({
  regions: given,
  name,
  defaultValue,
  rootCode,
  anyLabel,
  levelLabels,
  testId = "region-tree-picker",
  invalid,
  onChange,
}: {
  /** The tree; else the enclosing RegionsProvider's. */
  regions?: TreeRegion[];
  name: string;
  defaultValue?: string | null;
  /** The region the picker starts below (the actor's); null: the top of the tree. */
  rootCode: string | null;
  /** The first option of each select ("不限" / "请选择"). */
  anyLabel: string;
  /** The label of each level's select, by code length (4, 6, 9, 12). */
  levelLabels: Record<number, string>;
  testId?: string;
  invalid?: boolean;
  onChange?: (code: string) => void;
}) {
  const provided = useContext(RegionsContext);
  const regions = given ?? provided;
  const [value, setValue] = useState(defaultValue ?? "");
  // Inside an ActionForm: marked red when the action names this field.
  const fieldError = useFieldError(name);
  invalid ||= Boolean(fieldError.message);
  const childrenOf = (code: string | null) => regions.filter((r) => r.parentCode === code);
  const top = rootCode === null ? regions.filter((r) => !r.parentCode || !regions.some((p) => p.code === r.parentCode)) : childrenOf(rootCode);
  // The chain of chosen regions from the root down to the value.
  const chain: string[] = [];
  for (let code: string | null = value || null; code && code !== rootCode; code = regions.find((r) => r.code === code)?.parentCode ?? null) chain.unshift(code);
  const levels: { options: TreeRegion[]; selected: string; parent: string }[] = [];
  let options = top;
  for (let i = 0; options.length > 0; i++) {
    const selected = chain[i] ?? "";
    levels.push({ options, selected, parent: i === 0 ? (rootCode ?? "") : chain[i - 1] });
    if (!selected) break;
    options = childrenOf(selected);
  }
  const set = (code: string) => {
    setValue(code);
    onChange?.(code);
  };
  const cls = `min-w-0 rounded border px-2 py-1.5 text-sm ${invalid ? "border-red-600" : "border-slate-300"}`;
  return (
    <span className="flex min-w-0 flex-wrap gap-1" data-testid={testId}>
      <input type="hidden" name={name} value={value || (rootCode ?? "")} />
      {levels.map((l, i) => (
        <select
          key={l.parent || `top-${i}`}
          value={l.selected}
          aria-label={levelLabels[l.options[0].code.length] ?? anyLabel}
          aria-invalid={invalid || undefined}
          aria-describedby={fieldError.describedBy}
          className={cls}
          data-testid={`${testId}-${i}`}
          onChange={(e) => set(e.target.value || l.parent)}
        >
          <option value="">{`${levelLabels[l.options[0].code.length] ?? ""}：${anyLabel}`}</option>
          {l.options.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      ))}
    </span>
  );
}
