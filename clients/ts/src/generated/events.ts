// Rendered by scripts/generate.mjs from idl/compute_credits.json: do not edit.
import type { Decoder } from '@solana/kit';
import {
  getAdminTransferProposedDecoder,
  getAdminTransferredDecoder,
  getApprovalRevokedDecoder,
  getBorrowerApprovedDecoder,
  getChannelCloseRequestedDecoder,
  getChannelFinalizedDecoder,
  getChannelOpenedDecoder,
  getChannelReleasedDecoder,
  getChannelToppedUpDecoder,
  getCircuitBreakerResolvedDecoder,
  getCircuitBreakerTrippedDecoder,
  getClassPauseChangedDecoder,
  getClassPriceSourceChangedDecoder,
  getCollateralLiquidatedDecoder,
  getCollateralMovedDecoder,
  getCollateralSoldDecoder,
  getCreditAccountFreezeChangedDecoder,
  getCreditClassCreatedDecoder,
  getCreditsPurchasedDecoder,
  getCreditsRedeemedDecoder,
  getDepositV2Decoder,
  getFillV2Decoder,
  getLendingConfiguredDecoder,
  getLoanClosedDecoder,
  getLoanOfferCancelledDecoder,
  getLoanOfferedDecoder,
  getLoanOriginatedDecoder,
  getLoanPaymentDecoder,
  getLoanStatusChangedDecoder,
  getMarketFeesWithdrawnDecoder,
  getMarketPauseChangedDecoder,
  getMarketV2CreatedDecoder,
  getOrderPlacedV2Decoder,
  getOrderRemovedV2Decoder,
  getPlatformInitializedDecoder,
  getPlatformUpdatedDecoder,
  getPriceAggregateClearedDecoder,
  getPriceAggregatedDecoder,
  getPriceFeedConfiguredDecoder,
  getProviderRegisteredDecoder,
  getProviderRemovedDecoder,
  getPublisherChangedDecoder,
  getSeatClaimedV2Decoder,
  getSeatFreezeChangedDecoder,
  getSettlementKeySetDecoder,
  getUnderwriterSetDecoder,
  getWithdrawV2Decoder,
  type AdminTransferProposed,
  type AdminTransferred,
  type ApprovalRevoked,
  type BorrowerApproved,
  type ChannelCloseRequested,
  type ChannelFinalized,
  type ChannelOpened,
  type ChannelReleased,
  type ChannelToppedUp,
  type CircuitBreakerResolved,
  type CircuitBreakerTripped,
  type ClassPauseChanged,
  type ClassPriceSourceChanged,
  type CollateralLiquidated,
  type CollateralMoved,
  type CollateralSold,
  type CreditAccountFreezeChanged,
  type CreditClassCreated,
  type CreditsPurchased,
  type CreditsRedeemed,
  type DepositV2,
  type FillV2,
  type LendingConfigured,
  type LoanClosed,
  type LoanOfferCancelled,
  type LoanOffered,
  type LoanOriginated,
  type LoanPayment,
  type LoanStatusChanged,
  type MarketFeesWithdrawn,
  type MarketPauseChanged,
  type MarketV2Created,
  type OrderPlacedV2,
  type OrderRemovedV2,
  type PlatformInitialized,
  type PlatformUpdated,
  type PriceAggregateCleared,
  type PriceAggregated,
  type PriceFeedConfigured,
  type ProviderRegistered,
  type ProviderRemoved,
  type PublisherChanged,
  type SeatClaimedV2,
  type SeatFreezeChanged,
  type SettlementKeySet,
  type UnderwriterSet,
  type WithdrawV2,
} from './types';

/** Every event the IDL names, with its fields' type. */
export type ComputeCreditsEventMap = {
  AdminTransferProposed: AdminTransferProposed;
  AdminTransferred: AdminTransferred;
  ApprovalRevoked: ApprovalRevoked;
  BorrowerApproved: BorrowerApproved;
  ChannelCloseRequested: ChannelCloseRequested;
  ChannelFinalized: ChannelFinalized;
  ChannelOpened: ChannelOpened;
  ChannelReleased: ChannelReleased;
  ChannelToppedUp: ChannelToppedUp;
  CircuitBreakerResolved: CircuitBreakerResolved;
  CircuitBreakerTripped: CircuitBreakerTripped;
  ClassPauseChanged: ClassPauseChanged;
  ClassPriceSourceChanged: ClassPriceSourceChanged;
  CollateralLiquidated: CollateralLiquidated;
  CollateralMoved: CollateralMoved;
  CollateralSold: CollateralSold;
  CreditAccountFreezeChanged: CreditAccountFreezeChanged;
  CreditClassCreated: CreditClassCreated;
  CreditsPurchased: CreditsPurchased;
  CreditsRedeemed: CreditsRedeemed;
  DepositV2: DepositV2;
  FillV2: FillV2;
  LendingConfigured: LendingConfigured;
  LoanClosed: LoanClosed;
  LoanOfferCancelled: LoanOfferCancelled;
  LoanOffered: LoanOffered;
  LoanOriginated: LoanOriginated;
  LoanPayment: LoanPayment;
  LoanStatusChanged: LoanStatusChanged;
  MarketFeesWithdrawn: MarketFeesWithdrawn;
  MarketPauseChanged: MarketPauseChanged;
  MarketV2Created: MarketV2Created;
  OrderPlacedV2: OrderPlacedV2;
  OrderRemovedV2: OrderRemovedV2;
  PlatformInitialized: PlatformInitialized;
  PlatformUpdated: PlatformUpdated;
  PriceAggregateCleared: PriceAggregateCleared;
  PriceAggregated: PriceAggregated;
  PriceFeedConfigured: PriceFeedConfigured;
  ProviderRegistered: ProviderRegistered;
  ProviderRemoved: ProviderRemoved;
  PublisherChanged: PublisherChanged;
  SeatClaimedV2: SeatClaimedV2;
  SeatFreezeChanged: SeatFreezeChanged;
  SettlementKeySet: SettlementKeySet;
  UnderwriterSet: UnderwriterSet;
  WithdrawV2: WithdrawV2;
};
export type ComputeCreditsEventName = keyof ComputeCreditsEventMap;

/** Each event's 8-byte discriminator and the decoder of its fields. */
export const COMPUTE_CREDITS_EVENTS: {
  [K in ComputeCreditsEventName]: { discriminator: Uint8Array; decoder: Decoder<ComputeCreditsEventMap[K]> };
} = {
  AdminTransferProposed: { discriminator: new Uint8Array([203, 168, 175, 51, 239, 104, 20, 85]), decoder: getAdminTransferProposedDecoder() },
  AdminTransferred: { discriminator: new Uint8Array([255, 147, 182, 5, 199, 217, 38, 179]), decoder: getAdminTransferredDecoder() },
  ApprovalRevoked: { discriminator: new Uint8Array([0, 143, 189, 167, 179, 12, 235, 123]), decoder: getApprovalRevokedDecoder() },
  BorrowerApproved: { discriminator: new Uint8Array([215, 66, 75, 173, 248, 188, 167, 78]), decoder: getBorrowerApprovedDecoder() },
  ChannelCloseRequested: { discriminator: new Uint8Array([25, 12, 1, 80, 238, 62, 27, 137]), decoder: getChannelCloseRequestedDecoder() },
  ChannelFinalized: { discriminator: new Uint8Array([64, 118, 216, 229, 90, 246, 15, 213]), decoder: getChannelFinalizedDecoder() },
  ChannelOpened: { discriminator: new Uint8Array([253, 213, 255, 96, 31, 188, 47, 170]), decoder: getChannelOpenedDecoder() },
  ChannelReleased: { discriminator: new Uint8Array([206, 130, 132, 201, 120, 148, 4, 71]), decoder: getChannelReleasedDecoder() },
  ChannelToppedUp: { discriminator: new Uint8Array([54, 225, 177, 32, 80, 12, 60, 115]), decoder: getChannelToppedUpDecoder() },
  CircuitBreakerResolved: { discriminator: new Uint8Array([235, 8, 69, 239, 90, 91, 225, 236]), decoder: getCircuitBreakerResolvedDecoder() },
  CircuitBreakerTripped: { discriminator: new Uint8Array([188, 9, 111, 118, 136, 206, 199, 65]), decoder: getCircuitBreakerTrippedDecoder() },
  ClassPauseChanged: { discriminator: new Uint8Array([148, 167, 176, 72, 66, 123, 159, 118]), decoder: getClassPauseChangedDecoder() },
  ClassPriceSourceChanged: { discriminator: new Uint8Array([212, 228, 10, 71, 9, 89, 86, 233]), decoder: getClassPriceSourceChangedDecoder() },
  CollateralLiquidated: { discriminator: new Uint8Array([148, 42, 28, 104, 72, 50, 124, 98]), decoder: getCollateralLiquidatedDecoder() },
  CollateralMoved: { discriminator: new Uint8Array([54, 113, 80, 108, 2, 191, 63, 112]), decoder: getCollateralMovedDecoder() },
  CollateralSold: { discriminator: new Uint8Array([77, 127, 91, 218, 117, 225, 146, 186]), decoder: getCollateralSoldDecoder() },
  CreditAccountFreezeChanged: { discriminator: new Uint8Array([139, 148, 237, 106, 197, 204, 34, 53]), decoder: getCreditAccountFreezeChangedDecoder() },
  CreditClassCreated: { discriminator: new Uint8Array([248, 140, 125, 136, 89, 119, 142, 148]), decoder: getCreditClassCreatedDecoder() },
  CreditsPurchased: { discriminator: new Uint8Array([176, 67, 39, 167, 11, 116, 222, 22]), decoder: getCreditsPurchasedDecoder() },
  CreditsRedeemed: { discriminator: new Uint8Array([70, 107, 246, 102, 178, 30, 15, 17]), decoder: getCreditsRedeemedDecoder() },
  DepositV2: { discriminator: new Uint8Array([92, 248, 229, 35, 238, 180, 128, 125]), decoder: getDepositV2Decoder() },
  FillV2: { discriminator: new Uint8Array([1, 166, 148, 132, 231, 188, 38, 56]), decoder: getFillV2Decoder() },
  LendingConfigured: { discriminator: new Uint8Array([195, 131, 133, 117, 16, 101, 78, 100]), decoder: getLendingConfiguredDecoder() },
  LoanClosed: { discriminator: new Uint8Array([224, 57, 252, 104, 104, 185, 224, 107]), decoder: getLoanClosedDecoder() },
  LoanOfferCancelled: { discriminator: new Uint8Array([115, 28, 80, 226, 69, 83, 188, 133]), decoder: getLoanOfferCancelledDecoder() },
  LoanOffered: { discriminator: new Uint8Array([34, 251, 54, 106, 230, 203, 223, 78]), decoder: getLoanOfferedDecoder() },
  LoanOriginated: { discriminator: new Uint8Array([148, 74, 188, 162, 248, 33, 56, 251]), decoder: getLoanOriginatedDecoder() },
  LoanPayment: { discriminator: new Uint8Array([253, 123, 98, 77, 119, 29, 108, 213]), decoder: getLoanPaymentDecoder() },
  LoanStatusChanged: { discriminator: new Uint8Array([13, 92, 117, 131, 204, 91, 229, 234]), decoder: getLoanStatusChangedDecoder() },
  MarketFeesWithdrawn: { discriminator: new Uint8Array([171, 237, 187, 154, 13, 1, 103, 72]), decoder: getMarketFeesWithdrawnDecoder() },
  MarketPauseChanged: { discriminator: new Uint8Array([201, 237, 60, 219, 84, 169, 111, 59]), decoder: getMarketPauseChangedDecoder() },
  MarketV2Created: { discriminator: new Uint8Array([98, 137, 96, 79, 160, 156, 61, 99]), decoder: getMarketV2CreatedDecoder() },
  OrderPlacedV2: { discriminator: new Uint8Array([20, 225, 47, 181, 75, 106, 204, 155]), decoder: getOrderPlacedV2Decoder() },
  OrderRemovedV2: { discriminator: new Uint8Array([212, 86, 92, 215, 156, 19, 223, 66]), decoder: getOrderRemovedV2Decoder() },
  PlatformInitialized: { discriminator: new Uint8Array([16, 222, 212, 5, 213, 140, 112, 162]), decoder: getPlatformInitializedDecoder() },
  PlatformUpdated: { discriminator: new Uint8Array([75, 10, 83, 45, 92, 4, 133, 128]), decoder: getPlatformUpdatedDecoder() },
  PriceAggregateCleared: { discriminator: new Uint8Array([174, 159, 47, 253, 183, 251, 62, 144]), decoder: getPriceAggregateClearedDecoder() },
  PriceAggregated: { discriminator: new Uint8Array([116, 96, 130, 139, 92, 208, 242, 108]), decoder: getPriceAggregatedDecoder() },
  PriceFeedConfigured: { discriminator: new Uint8Array([255, 177, 61, 169, 173, 104, 40, 137]), decoder: getPriceFeedConfiguredDecoder() },
  ProviderRegistered: { discriminator: new Uint8Array([38, 209, 137, 78, 185, 19, 147, 14]), decoder: getProviderRegisteredDecoder() },
  ProviderRemoved: { discriminator: new Uint8Array([192, 1, 155, 196, 113, 29, 126, 25]), decoder: getProviderRemovedDecoder() },
  PublisherChanged: { discriminator: new Uint8Array([210, 152, 139, 227, 148, 108, 1, 164]), decoder: getPublisherChangedDecoder() },
  SeatClaimedV2: { discriminator: new Uint8Array([60, 70, 183, 18, 209, 17, 170, 22]), decoder: getSeatClaimedV2Decoder() },
  SeatFreezeChanged: { discriminator: new Uint8Array([174, 199, 135, 17, 60, 4, 57, 57]), decoder: getSeatFreezeChangedDecoder() },
  SettlementKeySet: { discriminator: new Uint8Array([79, 40, 30, 209, 10, 41, 143, 100]), decoder: getSettlementKeySetDecoder() },
  UnderwriterSet: { discriminator: new Uint8Array([110, 20, 18, 213, 116, 1, 38, 183]), decoder: getUnderwriterSetDecoder() },
  WithdrawV2: { discriminator: new Uint8Array([162, 117, 215, 88, 32, 237, 247, 29]), decoder: getWithdrawV2Decoder() },
};
