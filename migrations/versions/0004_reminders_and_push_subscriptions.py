"""reminder schedules, deliveries and push subscriptions

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-24 08:57:55.378563

"""
from alembic import op
import sqlalchemy as sa

import diary.database

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('push_subscriptions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('endpoint', sa.String(length=1024), nullable=False),
    sa.Column('p256dh', sa.String(length=128), nullable=False),
    sa.Column('auth', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('reminder_schedules',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('local_time', sa.Time(), nullable=False),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('next_fire_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_due_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('nudged_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_schedules_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_schedules'))
    )
    with op.batch_alter_table('reminder_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_schedules_next_fire_at'), ['next_fire_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_schedules_user_id'), ['user_id'], unique=False)

    op.create_table('reminder_deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('schedule_id', sa.Uuid(), nullable=False),
    sa.Column('due_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('channels_sent', sa.JSON(), nullable=False),
    sa.Column('pending_channels', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['schedule_id'], ['reminder_schedules.id'], name=op.f('fk_reminder_deliveries_schedule_id_reminder_schedules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_deliveries')),
    sa.UniqueConstraint('schedule_id', 'due_at', name=op.f('uq_reminder_deliveries_schedule_id'))
    )
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_deliveries_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_deliveries_next_attempt_at'))

    op.drop_table('reminder_deliveries')
    with op.batch_alter_table('reminder_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_schedules_user_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_schedules_next_fire_at'))

    op.drop_table('reminder_schedules')
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_user_id'))

    op.drop_table('push_subscriptions')
