// Which 2015 entitlement corresponds to which 2020 Right item, so compliance can be trended
// across the change of Code on 1 April 2021.
import type { CrosswalkEntry } from './types.ts'

function same(from2015: string, to2020: string): CrosswalkEntry {
  return { from2015, to2020, match: 'equivalent', note: null }
}

function partly(from2015: string, to2020: string, note: string): CrosswalkEntry {
  return { from2015, to2020, match: 'partial', note }
}

export const crosswalkData: readonly CrosswalkEntry[] = [
  same('V15-P01', 'R3.1'),
  same('V15-P02', 'R4.1'),
  same('V15-P03', 'R4.2'),
  partly('V15-P04', 'R5.1', '2015 covered the justice process and support as well as compensation'),
  partly('V15-P05', 'R6.1', '2020 adds an offer of referral to support'),
  same('V15-P06', 'R6.2'),
  same('V15-P07', 'R6.3'),
  same('V15-P08', 'R6.4'),
  partly('V15-P09', 'R6.5', '2020 adds release under investigation'),
  same('V15-P10', 'R6.7'),
  same('V15-P11', 'R6.8'),
  partly('V15-P12', 'R6.9', '2020 adds an offer of referral to support'),
  partly(
    'V15-P13',
    'R8.2',
    'Told by the police in 2015 (5 or 1 working days), by Witness Care in 2020 (1 working day)',
  ),
  same('V15-P14', 'R7.1'),
  partly('V15-C01', 'R6.10', 'R6.10 also covers discontinuance and changed charges'),
  partly('V15-C02', 'R6.10', 'R6.10 also covers decisions not to charge'),
  partly('V15-C03', 'R6.10', 'The meeting offer is one part of R6.10'),
  partly('V15-W01', 'R8.2', 'W01 also covers hearing outcomes'),
  same('V15-W02', 'R8.5'),
  partly('V15-W03', 'R9.1', 'W03 covers the verdict and the sentence together'),
  partly('V15-W03', 'R9.2', 'W03 covers the verdict and the sentence together'),
  partly('V15-N01', 'R11.1', 'Offer by probation within 40 working days became referral within 10'),
  partly('V15-N02', 'R11.3', 'Licence-condition views in 2015; release, open conditions and recall news in 2020'),
  same('V15-B01', 'R11.4'),
  same('V15-X01', 'R12.1'),
]
