import type { Converter } from "../types.ts";

export const k6Converter: Converter = {
  name: "k6",
  usage: "",
  options: [],
  convert: () => ({ plan: {}, notes: [] }),
};
