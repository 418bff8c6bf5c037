import { useState } from 'preact/hooks';
import type { Listing, ListingInput } from '../../api/activity';
import { ApiError } from '../../api/client';
import { FormError, TextField } from '../../components/FormField';
import { parseMajor } from './money';

/** Add or edit a listing: the watch attributes and the price. Errors come from the API, per field. */
export function ListingForm(props: {
  idPrefix: string;
  initial?: Listing;
  submitLabel: string;
  onSubmit: (input: ListingInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const i = props.initial;
  const [brand, setBrand] = useState(i?.brand ?? '');
  const [model, setModel] = useState(i?.model ?? '');
  const [reference, setReference] = useState(i?.reference ?? '');
  const [year, setYear] = useState(i?.year ? String(i.year) : '');
  const [condition, setCondition] = useState(i?.condition ?? '');
  const [price, setPrice] = useState(i ? (i.price.amount / 100).toFixed(2) : '');
  const [currency, setCurrency] = useState(i?.price.currency ?? 'EUR');
  const [error, setError] = useState<ApiError | null>(null);
  const [priceError, setPriceError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const p = props.idPrefix;

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const amount = parseMajor(price);
    setPriceError(amount === null ? 'Enter the price as a number, e.g. 12990 or 12990.50.' : null);
    if (amount === null) return;
    setBusy(true);
    try {
      await props.onSubmit({
        brand,
        model,
        reference,
        // A non-number goes to the API as typed, so its error names the field instead of a silent null.
        year: year.trim() ? (/^\d+$/.test(year.trim()) ? Number(year) : (year as unknown as number)) : null,
        condition,
        price: { amount, currency: currency.trim().toUpperCase() },
      });
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
    } finally {
      setBusy(false);
    }
  };
  const known = ['brand', 'model', 'reference', 'year', 'condition', 'price'];
  const other = error && !known.some((f) => error.forField(f)) ? error.message : null;

  return (
    <form onSubmit={submit} class="card" aria-label={props.submitLabel}>
      <TextField id={`${p}-brand`} label="Brand" value={brand} onValue={setBrand} error={error?.forField('brand')} />
      <TextField id={`${p}-model`} label="Model" value={model} onValue={setModel} error={error?.forField('model')} />
      <TextField
        id={`${p}-reference`}
        label="Reference"
        value={reference}
        onValue={setReference}
        hint="The maker's reference; order line item SKUs are matched against it."
        error={error?.forField('reference')}
      />
      <TextField
        id={`${p}-year`}
        label="Year (optional)"
        value={year}
        onValue={setYear}
        error={error?.forField('year')}
      />
      <TextField
        id={`${p}-condition`}
        label="Condition"
        value={condition}
        onValue={setCondition}
        error={error?.forField('condition')}
      />
      <TextField
        id={`${p}-price`}
        label="Price"
        value={price}
        onValue={setPrice}
        hint="In the currency's main unit, e.g. 12990.50"
        error={priceError ?? error?.forField('price.amount') ?? error?.forField('price')}
      />
      <TextField
        id={`${p}-currency`}
        label="Currency"
        value={currency}
        onValue={setCurrency}
        maxLength={3}
        hint="ISO 4217 code, e.g. EUR, USD, CHF"
        error={error?.forField('price.currency')}
      />
      <FormError message={other} />
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" class="button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
