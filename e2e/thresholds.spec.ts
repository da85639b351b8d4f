import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("an admin edits the quality thresholds; a wrong value is refused with the field named", async ({ page }) => {
  await signIn(page, "ada", "/settings");
  const form = page.getByRole("form", { name: "Quality thresholds" });
  const loss = form.getByLabel("poor loss fraction above");
  await expect(loss).toHaveValue("0.1");
  await loss.fill("1.5");
  await form.getByRole("button", { name: "Save thresholds" }).click();
  await expect(form.getByText("Too big: expected number to be <=1")).toBeVisible();

  await loss.fill("0.08");
  await form.getByRole("button", { name: "Save thresholds" }).click();
  await expect(form.getByRole("status")).toContainText("Saved");
  await page.reload();
  await expect(page.getByRole("form", { name: "Quality thresholds" }).getByLabel("poor loss fraction above")).toHaveValue("0.08");

  await page.getByRole("form", { name: "Quality thresholds" }).getByRole("button", { name: "Reset to the published defaults" }).click();
  await expect(page.getByRole("form", { name: "Quality thresholds" }).getByLabel("poor loss fraction above")).toHaveValue("0.1");
});
